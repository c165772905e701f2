// The component library (NutUI React Taro, see README "Component library"). Pages import components from here,
// never from the package directly: each component's stylesheet is imported once, per component, so the Alipay
// package carries only the CSS of what we use (the full stylesheet is 233 KB).
//
// What comes from NutUI: buttons, the bottom sheet (Popup, with its overlay), check boxes and the quantity stepper.
// Layout, cards, lists, tabs and prices are our own CSS on Taro's View/Text/Image: they are a few lines each, and
// keeping them ours keeps the look Alipay's rather than the library's.
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/overlay/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/popup/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/checkbox/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/inputnumber/style/css';

export { Button, Checkbox, InputNumber, Popup } from '@nutui/nutui-react-taro';
