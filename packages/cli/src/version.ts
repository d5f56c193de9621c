/** Version of the CLI package. */
export const CLI_VERSION = '0.1.0';
