/** Version of the inspector package (as `p2p-inspect --version` prints it). */
export const INSPECTOR_VERSION = '0.1.0';
