/** Type declarations for the untyped `snappyjs` package (Snappy block format, pure JavaScript). */
declare module 'snappyjs' {
  /** Decompresses one Snappy block. */
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
  /** Compresses bytes into one Snappy block. */
  export function compress(input: Uint8Array): Uint8Array;
}
