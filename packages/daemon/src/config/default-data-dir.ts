// One copy for p2pd and p2p-cli: the default data directory is part of the control protocol's package.
export { defaultDataDir } from '@p2p/control';
