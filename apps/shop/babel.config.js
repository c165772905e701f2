// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
//
// Alipay: compile down to ES5 for the mini-program engines (Taro's own default targets when a project has no
// browserslist). Both the IDE and older clients reject newer syntax with "Unexpected token"
// (NervJS/taro#18606, #14781); build.int.test.ts checks that every emitted script parses as ES5.
// H5: the browserslist in package.json.
const targets = process.env.TARO_ENV === 'alipay' ? { ios: '9', android: '5' } : undefined;

module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5', targets }]],
};
