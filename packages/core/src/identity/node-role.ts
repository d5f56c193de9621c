/** What a node does for the network besides being a peer. */
export type NodeRole = 'peer' | 'seed' | 'server';
