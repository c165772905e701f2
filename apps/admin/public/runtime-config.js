// Default runtime configuration for the static H5 build. A server that serves this build may answer
// /runtime-config.js itself to point the same build at another API without rebuilding.
window.__ADMIN_CONFIG__ = {
  apiBaseUrl: 'http://127.0.0.1:3000',
};
