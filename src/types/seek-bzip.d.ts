/** Minimal typings for seek-bzip 2 (pure-JS bzip2 decoder; the package ships none). */
declare module 'seek-bzip' {
  interface Bunzip {
    /**
     * Decodes a whole bzip2 buffer. `output`: a buffer or expected size (omit to grow as needed);
     * `multistream`: also decode concatenated bzip2 streams (pbzip2 output).
     */
    decode(input: Uint8Array, output?: Uint8Array | number, multistream?: boolean): Buffer;
  }
  const Bunzip: Bunzip;
  export default Bunzip;
}
