/**
 * `mixdesk xml roundtrip <file> [-o out]`: reads an XML file into the Yjs model, passes the
 * document through a Yjs update into a second doc (as sync or storage would), and writes the
 * export to stdout or `-o`. An unedited file comes back byte-identical; bad input is reported
 * as `file:line:column: reason` on stderr with exit code 1.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { MAX_XML_BYTES, roundtripXml, XmlError } from '../core/xml/index.ts';

const USAGE = 'Usage: mixdesk xml roundtrip <file> [-o <out>]';

export async function xml(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'roundtrip') {
    console.error(USAGE);
    return 2;
  }
  let file: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '-o' || a === '--out') out = rest[++i];
    else if (a.startsWith('-')) {
      console.error(`mixdesk xml: unknown option '${a}'\n${USAGE}`);
      return 2;
    } else if (file === undefined) file = a;
    else {
      console.error(`mixdesk xml: one file at a time\n${USAGE}`);
      return 2;
    }
  }
  if (!file || (rest.includes('-o') && !out)) {
    console.error(USAGE);
    return 2;
  }
  try {
    if (statSync(file).size > MAX_XML_BYTES)
      throw new XmlError(`file is larger than the ${MAX_XML_BYTES / 1048576} MB limit`, undefined, undefined, file);
    const bytes = roundtripXml(new Uint8Array(readFileSync(file)), file);
    if (out) writeFileSync(out, bytes);
    else process.stdout.write(bytes);
    return 0;
  } catch (e) {
    if (e instanceof XmlError) {
      console.error(`mixdesk xml: ${e.message}`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code) {
      console.error(`mixdesk xml: ${file}: ${err.message}`);
      return 1;
    }
    throw e;
  }
}
