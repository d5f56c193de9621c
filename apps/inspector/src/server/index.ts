export { startWebServer, defaultAssetsDir, type WebData, type WebServer, type WebServerOptions } from './web-server.js';
