/** Settings the server hands the browser (GET /api/client-config), read once at boot. */
let gojsLicenseKey = '';

export function setClientConfig(config: { gojsLicenseKey: string }) {
  gojsLicenseKey = config.gojsLicenseKey ?? '';
}

export const getGojsLicenseKey = () => gojsLicenseKey;
