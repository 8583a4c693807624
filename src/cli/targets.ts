/**
 * `mixdesk targets [--json]`: the delivery targets the rules know, with each value's source and
 * whether it was checked against the publisher's own document, and the rules themselves.
 */
import { CODEC_LABEL } from '../core/codec/codec-check.ts';
import { DELIVERY_TARGETS, type DeliveryTarget } from '../core/diagnostics/delivery-targets.ts';
import { RULES } from '../core/diagnostics/rules/index.ts';
import { DEDUCTION } from '../core/diagnostics/score.ts';

function describe(t: DeliveryTarget): string {
  if (t.kind === 'broadcast')
    return `${t.integratedLufs} LUFS +-${t.toleranceLu} LU, true peak <= ${t.truePeakDbtp} dBTP${t.maxLraLu !== null ? `, LRA <= ${t.maxLraLu} LU` : ''}; pass/fail`;
  const up =
    t.turnsUp.kind === 'never'
      ? 'never turns quiet tracks up'
      : t.turnsUp.kind === 'fully'
        ? 'turns quiet tracks up fully'
        : t.turnsUp.kind === 'to-peak-ceiling'
          ? `turns quiet tracks up only until the true peak reaches ${t.turnsUp.ceilingDbtp} dBTP`
          : 'does not normalise by default';
  return `plays at ${t.referenceLufs} LUFS; ${t.turnsDown ? 'turns loud tracks down' : 'never turns down'}, ${up}; advises true peak <= ${t.truePeakDbtp} dBTP${t.loudCeilingDbtp !== null ? ` (${t.loudCeilingDbtp} dBTP for loud masters)` : ''}`;
}

export async function targets(args: string[]): Promise<number> {
  if (args.includes('--json')) {
    console.log(
      JSON.stringify(
        {
          targets: DELIVERY_TARGETS,
          rules: RULES.map(({ id, checks, reference }) => ({ id, checks, reference })),
          deduction: DEDUCTION,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const lines: string[] = ['Delivery targets (use the id with mixdesk analyze --target):', ''];
  for (const t of DELIVERY_TARGETS) {
    lines.push(`  ${t.id.padEnd(14)} ${t.name} (${t.kind}): ${describe(t)}`);
    lines.push(`  ${''.padEnd(14)} source (${t.source.status}, checked ${t.source.checked}): ${t.source.url}`);
    lines.push(`  ${''.padEnd(14)} ${t.source.note}`);
    if (t.kind === 'streaming') {
      const c = t.codec;
      lines.push(
        `  ${''.padEnd(14)} delivered as ${CODEC_LABEL[c.codec]} ${c.bitrateKbps} kbit/s (mixdesk codec-check; ${c.source.status}, ${c.source.url}): ${c.source.note}`,
      );
    }
    lines.push('');
  }
  lines.push(
    `Score: 100 - ${DEDUCTION.error} per error - ${DEDUCTION.warning} per warning (info is free), at least 0.`,
    '',
    'Rules:',
  );
  for (const r of RULES) lines.push(`  ${r.id.padEnd(20)} ${r.checks} (${r.reference})`);
  console.log(lines.join('\n'));
  return 0;
}
