/**
 * Synthetic XML corpus for the golden round-trip tests and the benchmark: App Sets of any size,
 * Mixdesk layouts, and "odd" files that exercise every lossless feature (declaration, DOCTYPE
 * with internal entities, comments, PIs, CDATA, references, quote styles, whitespace inside
 * tags, self-closing versus empty elements, CRLF, control characters, non-ASCII text). All
 * generators are seeded so a failing case can be rebuilt from its seed.
 */

import { seededRandom } from './signals.ts';

/** The suite's one seeded generator (lib0 Xoroshiro128+), re-exported for the XML tests. */
export { seededRandom };

const LABELS = [
  'Save',
  'Undo',
  'Redo',
  'Bounce',
  'Mix Window',
  'Edit Window',
  'Zoom In',
  'Zoom Out',
  'Rec Arm',
  'Solo Clear',
  'Mute Clear',
  'Tab to Transient',
  'Loop Playback',
  'Nudge +',
  'Nudge -',
  'Markers',
];
const COLOURS = ['Red', 'Green', 'Blue', 'Yellow', 'Orange', 'Purple', 'Cyan', 'White', 'Off'];

function guid(rnd: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () =>
      Math.floor(rnd() * 16)
        .toString(16)
        .toUpperCase(),
    ).join('');
  return `{${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}}`;
}

export interface AppSetOptions {
  seed?: number;
  sections?: number;
  banksPerSection?: number;
  keysPerBank?: number;
  newline?: string;
  /** Put XML-forbidden control characters into some labels, as real files have. */
  controlChars?: boolean;
}

/** An EuCon-style App Set: AppSetWide fields, then Section -> Bank -> Key with commands and macros. */
export function generateAppSet(opts: AppSetOptions = {}): string {
  const rnd = seededRandom(opts.seed ?? 1);
  const nl = opts.newline ?? '\n';
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${nl}<AppSet>${nl}  <AppSetWide>${nl}`);
  const wide: Array<[string, string]> = [
    ['AppName', 'Pro Tools'],
    ['AppSetName', 'Default'],
    ['AppVersion', '2023.12'],
    ['Author', 'Mixdesk'],
    ['CreationDate', 'Mon May 23 11:09:16 2005'],
    ['ModifiedDate', 'Tue Jun 14 09:01:02 2022'],
    ['EuConVersion', '2023.6'],
    ['LastModifiedBy', 'engineer'],
    ['MCVersion', '3.4'],
    ['Notes', 'Generated &amp; checked'],
    ['TargetHost', 'studio-a'],
  ];
  for (const [k, v] of wide) out.push(`    <${k}>${v}</${k}>${nl}`);
  out.push(`    <CustomWheelCommands>${nl}`);
  for (let i = 0; i < 4; i++)
    out.push(
      `      <CustomWheelFunction NAME="Wheel ${i + 1}" SIZE="${i + 1}" TYPE="${i % 2}" UID="${guid(rnd)}"/>${nl}`,
    );
  out.push(`    </CustomWheelCommands>${nl}  </AppSetWide>${nl}`);
  const sections = opts.sections ?? 2;
  for (let s = 1; s <= sections; s++) {
    out.push(`  <Section ID="${s}">${nl}`);
    const banks = opts.banksPerSection ?? 3;
    for (let b = 1; b <= banks; b++) {
      const size = opts.keysPerBank ?? 8;
      out.push(`    <Bank ID="${b}" SIZE="${size}">${nl}`);
      for (let k = 1; k <= size; k++) {
        let label = LABELS[Math.floor(rnd() * LABELS.length)]!;
        if (opts.controlChars && rnd() < 0.2) label += String.fromCharCode(1 + Math.floor(rnd() * 8));
        const colour = COLOURS[Math.floor(rnd() * COLOURS.length)]!;
        const shape = rnd();
        const attrs = `ID="${k}" LABEL="${label}" COLOR="${colour}" ICON="icon${k % 5}" UID="${guid(rnd)}"`;
        if (shape < 0.4)
          out.push(
            `      <Key ${attrs}>${nl}        <Command NAME="Cmd.${k}" TYPE="Keystroke" VALUE="Ctrl+${k}"/>${nl}      </Key>${nl}`,
          );
        else if (shape < 0.8) {
          out.push(`      <Key ${attrs}>${nl}        <Macro>${nl}`);
          for (let st = 1; st <= 3; st++)
            out.push(`          <Step INDEX="${st}" COMMAND="Step.${st}" DELAY="${st * 10}"/>${nl}`);
          out.push(`        </Macro>${nl}      </Key>${nl}`);
        } else out.push(`      <Key ${attrs}/>${nl}`);
      }
      out.push(`    </Bank>${nl}`);
    }
    out.push(`  </Section>${nl}`);
  }
  out.push(`</AppSet>${nl}`);
  return out.join('');
}

/** An App Set of at least `bytes` characters (about as many UTF-8 bytes), 32 keys a bank, 20 banks a section. */
export function generateAppSetOfSize(bytes: number, seed = 7): string {
  const one = generateAppSet({ seed, sections: 1, banksPerSection: 20, keysPerBank: 32 }).length;
  const perSection = generateAppSet({ seed, sections: 2, banksPerSection: 20, keysPerBank: 32 }).length - one;
  const sections = Math.max(1, Math.ceil((bytes - one) / perSection) + 2);
  return generateAppSet({ seed, sections, banksPerSection: 20, keysPerBank: 32 });
}

/** A file with every lossless feature the model must keep, in one place. `nl` sets the line ending. */
export function generateOddXml(nl = '\n'): string {
  return [
    `<?xml version='1.0' encoding="UTF-8"   standalone = "no" ?>`,
    `<!DOCTYPE AppSet SYSTEM "http://example.invalid/appset.dtd" [`,
    `  <!ENTITY company "Avid &amp; co">`,
    `  <!ENTITY ext SYSTEM "http://example.invalid/never-fetched.xml">`,
    `  <!ELEMENT AppSet ANY>`,
    `  <!-- a comment in the subset with a ] bracket -->`,
    `]>`,
    `<!-- leading comment -->`,
    `<?mixdesk-pi some data ?>`,
    `<AppSet  xmlns:x="urn:x"\tVERSION = '2'${nl}    NOTE="a &quot;quoted&quot; &amp; &#65;&#x42; &company; value" >`,
    `  <Empty></Empty><SelfClosed/><SelfClosedSpace   />`,
    `  <Text>  mixed <b>bold</b> tail &lt;&gt;&amp; &unknown; &ext; &#x263A; é ü ß  </Text>`,
    `  <![CDATA[ raw <xml> & stuff ]]>`,
    `  <Key LABEL='single "quotes"' COLOR="Red"${nl}       ICON="x"/>`,
    `  <x:Ns x:attr="ns"/>`,
    `  <Control>bell\u0007 tab\t vt\u000b ff\u000c esc\u001b nul\u0000 us\u001f</Control>`,
    `  <Odd a="bare & amp" b="<lt"/>`,
    `  <?inner pi?><!---->`,
    `</AppSet>`,
    `<!-- trailing comment -->`,
    ``,
  ].join(nl);
}

/** A Mixdesk layout document (docs/layout-format.md). */
export function generateLayoutXml(layouts = 2, strips = 24, nl = '\n'): string {
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<MixdeskLayouts version="1">`];
  for (let l = 1; l <= layouts; l++) {
    out.push(`  <Layout name="Layout ${l}" surface="S6">`);
    for (let s = 1; s <= strips; s++) {
      out.push(s % 7 === 0 ? `    <Strip slot="${s}"/>` : `    <Strip slot="${s}" track="Track ${l}.${s}"/>`);
    }
    out.push(`  </Layout>`);
  }
  out.push(
    `  <BankRecall>`,
    `    <Recall key="A" layout="Layout 1"/>`,
    `    <Recall key="Shift+A" layout="Layout 2"/>`,
    `  </BankRecall>`,
  );
  out.push(`</MixdeskLayouts>`, ``);
  return out.join(nl);
}
