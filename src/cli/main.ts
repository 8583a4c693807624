/**
 * `mixdesk <command>`: the same core code as the app, for batch work in a terminal.
 * Each subcommand lives in its own module and returns an exit code.
 */
type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: {
    summary: 'serve the app and the relay (PORT, HOST, MIXDESK_DATA, MIXDESK_ORIGINS)',
    load: async () => (await import('./serve.ts')).serve,
  },
  backup: {
    summary: 'copy the relay database while the server runs (<file>; MIXDESK_DATA)',
    load: async () => (await import('./backup.ts')).backup,
  },
  migrate: {
    summary:
      'copy an embedded deployment into PostgreSQL and verify it (--from sqlite:DATA --to postgres://...; --json)',
    load: async () => (await import('./migrate.ts')).migrate,
  },
  analyze: {
    summary:
      'measure WAV/AIFF/FLAC, check them against a delivery target: verdict, score, diagnostics (--target, --json, --csv)',
    load: async () => (await import('./analyze.ts')).analyze,
  },
  render: {
    summary: 'gain to a target and a true-peak limiter, re-verified (IN --target NAME -o OUT.wav; --json)',
    load: async () => (await import('./render.ts')).render,
  },
  'codec-check': {
    summary:
      "a platform's delivery codec applied and decoded back: peaks, overs and where (IN --platform NAME; --json; ffmpeg)",
    load: async () => (await import('./codec-check.ts')).codecCheck,
  },
  compare: {
    summary: 'a mix beside its references: every figure, the differences and the level match (MIX REF...; --json)',
    load: async () => (await import('./compare.ts')).compare,
  },
  targets: {
    summary: 'list the delivery targets with their sources, and the rules (--json)',
    load: async () => (await import('./targets.ts')).targets,
  },
  session: {
    summary: 'print a Pro Tools session text export (<file.txt> [--json])',
    load: async () => (await import('./session.ts')).session,
  },
  documents: {
    summary: "list your account's documents on a server (--server URL; MIXDESK_TOKEN or --token; --json)",
    load: async () => (await import('./documents.ts')).documents,
  },
  xml: {
    summary: 'write an XML file back through the Yjs model (roundtrip <file> [-o out])',
    load: async () => (await import('./xml.ts')).xml,
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, { summary }]) => `  mixdesk ${name.padEnd(10)} ${summary}`);
  return `Usage:\n${lines.join('\n')}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`mixdesk: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest);
}
