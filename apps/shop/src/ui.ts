// The component library (NutUI React Taro, see README "Component library"). Pages import components from here,
// never from the package directly: each component's stylesheet is imported once, per component, so the Alipay
// package carries only the CSS of what we use (the full stylesheet is 233 KB).
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/cellgroup/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/dialog/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/overlay/style/css';

export { Button, Cell, Dialog } from '@nutui/nutui-react-taro';
