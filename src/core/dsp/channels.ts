/**
 * Channel labels and the BS.1770 channel weights. Labels follow the WAVE_FORMAT_EXTENSIBLE
 * speaker positions, plus `mono` (a single channel, measured as one channel, weight 1.0) and
 * `unknown` (weight 1.0).
 */
export type ChannelLabel =
  | 'mono'
  | 'FL'
  | 'FR'
  | 'FC'
  | 'LFE'
  | 'BL'
  | 'BR'
  | 'FLC'
  | 'FRC'
  | 'BC'
  | 'SL'
  | 'SR'
  | 'TC'
  | 'TFL'
  | 'TFC'
  | 'TFR'
  | 'TBL'
  | 'TBC'
  | 'TBR'
  | 'unknown';

/** WAVE_FORMAT_EXTENSIBLE dwChannelMask bit order. */
export const MASK_ORDER: readonly ChannelLabel[] = [
  'FL',
  'FR',
  'FC',
  'LFE',
  'BL',
  'BR',
  'FLC',
  'FRC',
  'BC',
  'SL',
  'SR',
  'TC',
  'TFL',
  'TFC',
  'TFR',
  'TBL',
  'TBC',
  'TBR',
];

/** Layouts assumed when a file states no mask (the WAV/SMPTE defaults), 1 to 8 channels. */
const DEFAULTS: Record<number, ChannelLabel[]> = {
  1: ['mono'],
  2: ['FL', 'FR'],
  3: ['FL', 'FR', 'FC'],
  4: ['FL', 'FR', 'BL', 'BR'],
  5: ['FL', 'FR', 'FC', 'BL', 'BR'],
  6: ['FL', 'FR', 'FC', 'LFE', 'BL', 'BR'],
  7: ['FL', 'FR', 'FC', 'LFE', 'BC', 'SL', 'SR'],
  8: ['FL', 'FR', 'FC', 'LFE', 'BL', 'BR', 'SL', 'SR'],
};

/** The default layout for `channels` channels; beyond 7.1 the channels are `unknown`. */
export function defaultLayout(channels: number): ChannelLabel[] {
  return DEFAULTS[channels]?.slice() ?? new Array<ChannelLabel>(channels).fill('unknown');
}

/** The layout named by a WAVE_FORMAT_EXTENSIBLE channel mask, or null when it does not fit `channels`. */
export function layoutFromMask(mask: number, channels: number): ChannelLabel[] | null {
  if (mask === 0) return null;
  const labels: ChannelLabel[] = [];
  for (let bit = 0; bit < MASK_ORDER.length; bit++) if (mask & (1 << bit)) labels.push(MASK_ORDER[bit]!);
  if (labels.length > channels) return null;
  while (labels.length < channels) labels.push('unknown');
  if (channels === 1 && labels[0] === 'FC') return ['mono'];
  return labels;
}

/**
 * BS.1770 weight of a channel: 1.0 for front channels, 1.41 (+1.5 dB) for surrounds at
 * 60-120 degrees azimuth and behind (BL, BR, SL, SR), 0 for LFE (excluded from loudness).
 */
export function channelWeight(label: ChannelLabel): number {
  switch (label) {
    case 'LFE':
      return 0;
    case 'BL':
    case 'BR':
    case 'SL':
    case 'SR':
      return 1.41;
    default:
      return 1;
  }
}
