/** One golden vector's definition. */
export interface VectorDefinition {
  /** Path under proto/vectors/. */
  file: string;
  /** Stable name, the file name without ".json". */
  name: string;
  /** Full name of the top-level type. */
  type: 'p2p.v1.Envelope' | 'p2p.control.v1.Request' | 'p2p.control.v1.Response';
  /** What the vector shows. */
  description: string;
  /** The message in the protobuf JSON mapping. */
  json: Record<string, unknown>;
}

/** Every vector's definition. */
export declare const VECTOR_DEFINITIONS: VectorDefinition[];
