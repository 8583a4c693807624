/** Library action: import console files (one, many, or a whole User Set folder). */
export function ImportButton() {
  return null;
}
