/**
 * Every delivery target in one table, with where each value comes from. Broadcast standards
 * are pass/fail specifications; streaming platforms do not reject files, they play them at a
 * reference level, so for them the app previews what normalisation will do.
 *
 * Sources: "verified" means the value was read in the publisher's own document (the URL);
 * "secondary" means only third-party articles state it (the URL is one of them) and the
 * platform's own documentation was not available to check; treat it as an estimate.
 * Platforms change these settings without notice; check the date.
 */

export interface Source {
  url: string;
  note: string;
  status: 'verified' | 'secondary';
  checked: string;
}

export interface BroadcastTarget {
  kind: 'broadcast';
  id: string;
  name: string;
  integratedLufs: number;
  /** Integrated loudness must be within target +- this. */
  toleranceLu: number;
  truePeakDbtp: number;
  /** Largest loudness range the standard's guidance accepts for the programme (LU), or null. */
  maxLraLu: number | null;
  source: Source;
}

/** How a platform treats a track quieter than its reference level. */
export type TurnsUp =
  /** Never raised. */
  | { kind: 'never' }
  /** Raised only as far as the true peak allows: peak after gain stays at or below `ceilingDbtp`. */
  | { kind: 'to-peak-ceiling'; ceilingDbtp: number }
  /** Raised all the way; peaks then go over full scale unless a limiter catches them. */
  | { kind: 'fully' }
  /** Normalisation is off by default. */
  | { kind: 'not-normalised' };

export interface StreamingTarget {
  kind: 'streaming';
  id: string;
  name: string;
  /** Reference playback level (integrated loudness). */
  referenceLufs: number;
  /** The true-peak ceiling the platform recommends for the delivered file. */
  truePeakDbtp: number;
  /** Whether loud tracks are turned down to the reference (false: played as delivered). */
  turnsDown: boolean;
  turnsUp: TurnsUp;
  /** A tighter true-peak ceiling advised for masters louder than the reference (lossy encoding overshoots more), or null. */
  loudCeilingDbtp: number | null;
  /** The lossy codec the platform streams to most listeners, which the codec check reproduces. */
  codec: DeliveryCodec;
  source: Source;
}

/** Lossy codecs the codec check knows how to reproduce. */
export type CodecName = 'aac' | 'opus' | 'vorbis' | 'mp3';

/** How a platform delivers the file: codec and bitrate, with its own source (they change often). */
export interface DeliveryCodec {
  codec: CodecName;
  bitrateKbps: number;
  source: Source;
}

export type DeliveryTarget = BroadcastTarget | StreamingTarget;

const CHECKED = '2026-11-29';

export const DELIVERY_TARGETS: readonly DeliveryTarget[] = [
  {
    kind: 'streaming',
    id: 'spotify',
    name: 'Spotify',
    referenceLufs: -14,
    truePeakDbtp: -1,
    turnsDown: true,
    turnsUp: { kind: 'to-peak-ceiling', ceilingDbtp: -1 },
    loudCeilingDbtp: -2,
    codec: {
      codec: 'vorbis',
      bitrateKbps: 320,
      source: {
        url: 'https://support.spotify.com/us/article/audio-quality/',
        note: 'Spotify lists Ogg Vorbis in its apps (96/160 kbit/s, 320 kbit/s "Very high" for Premium) and AAC in the web player (128, Premium 256 kbit/s); lossless FLAC exists for Premium in some markets. The check uses Ogg Vorbis 320 kbit/s, the most common Premium stream. Not re-read in this session: an assumption from the page as last seen.',
        status: 'secondary',
        checked: CHECKED,
      },
    },
    source: {
      url: 'https://support.spotify.com/us/artists/article/loudness-normalization',
      note: 'Normal setting -14 LUFS (ITU 1770); louder masters turned down; softer ones raised only while the true peak stays 1 dB below full scale (example: -20 LUFS with -5 dBTP is lifted to -16 LUFS). The "Loud" setting (-11 LUFS) uses a limiter at -1 dB. Recommends -14 LUFS and below -1 dBTP. (The advice of -2 dBTP for masters louder than -14 LUFS, widely quoted from the same page, was not in the text read here: applied as loudCeilingDbtp, unverified.)',
      status: 'verified',
      checked: CHECKED,
    },
  },
  {
    kind: 'streaming',
    id: 'apple',
    name: 'Apple Music',
    referenceLufs: -16,
    truePeakDbtp: -1,
    turnsDown: true,
    turnsUp: { kind: 'fully' },
    loudCeilingDbtp: null,
    codec: {
      codec: 'aac',
      bitrateKbps: 256,
      source: {
        url: 'https://www.apple.com/apple-music/apple-digital-masters/',
        note: 'Apple Music streams AAC (AAC-LC) at 256 kbit/s by default ("High Quality"; ALAC lossless is opt-in). Apple Digital Masters documents this encode and asks for true-peak headroom for it. Not re-read in this session.',
        status: 'secondary',
        checked: CHECKED,
      },
    },
    source: {
      url: 'https://www.masteringthemix.com/blogs/learn/producing-music-for-apple-music',
      note: 'Sound Check plays at about -16 LUFS and raises quiet tracks as well as lowering loud ones; Apple Digital Masters asks for about 1 dB true-peak headroom for the AAC encode. Apple does not publish the Sound Check level itself.',
      status: 'secondary',
      checked: CHECKED,
    },
  },
  {
    kind: 'streaming',
    id: 'youtube',
    name: 'YouTube',
    referenceLufs: -14,
    truePeakDbtp: -1,
    turnsDown: true,
    turnsUp: { kind: 'never' },
    loudCeilingDbtp: null,
    codec: {
      codec: 'opus',
      bitrateKbps: 160,
      source: {
        url: 'https://support.google.com/youtube/answer/1722171',
        note: 'YouTube publishes upload recommendations, not its delivery encodes. Browsers mostly get Opus in WebM (about 128-160 kbit/s, format 251) and otherwise AAC 128 kbit/s (format 140): both are observed, not published. The check uses Opus 160 kbit/s: an assumption.',
        status: 'secondary',
        checked: CHECKED,
      },
    },
    source: {
      url: 'https://www.sageaudio.com/blog/mastering/mastering-for-streaming-platform-loudness-and-normalization-explained.php',
      note: 'About -14 LUFS; loud uploads are turned down, quiet ones are not turned up. Not published by YouTube.',
      status: 'secondary',
      checked: CHECKED,
    },
  },
  {
    kind: 'streaming',
    id: 'tidal',
    name: 'Tidal',
    referenceLufs: -14,
    truePeakDbtp: -1,
    turnsDown: true,
    turnsUp: { kind: 'never' },
    loudCeilingDbtp: null,
    codec: {
      codec: 'aac',
      bitrateKbps: 320,
      source: {
        url: 'https://support.tidal.com/hc/en-us/articles/115003662085-Streaming-Quality',
        note: 'Tidal\'s lossy tier is AAC 320 kbit/s ("High"; "Low" is AAC 96 kbit/s); "Max" is lossless FLAC, which no codec check is needed for. Not re-read in this session.',
        status: 'secondary',
        checked: CHECKED,
      },
    },
    source: {
      url: 'https://www.sageaudio.com/blog/mastering/mastering-for-streaming-platform-loudness-and-normalization-explained.php',
      note: 'About -14 LUFS, turned down only (album normalisation). Not published by Tidal.',
      status: 'secondary',
      checked: CHECKED,
    },
  },
  {
    kind: 'streaming',
    id: 'amazon',
    name: 'Amazon Music',
    referenceLufs: -14,
    truePeakDbtp: -2,
    turnsDown: true,
    turnsUp: { kind: 'never' },
    loudCeilingDbtp: null,
    codec: {
      codec: 'aac',
      bitrateKbps: 256,
      source: {
        url: 'https://www.amazon.com/music/unlimited/hd',
        note: 'Amazon states "Standard" quality as up to 320 kbit/s but not its codec (HD and Ultra HD are FLAC). AAC 256 kbit/s is an assumption.',
        status: 'secondary',
        checked: CHECKED,
      },
    },
    source: {
      url: 'https://blog.wavedisco.com/blog/streaming-loudness-targets',
      note: 'Articles give -14 LUFS (some -13, some a range -9 to -13) and -2 dBTP; whether quiet tracks are raised is not documented, so none is assumed. Not published by Amazon.',
      status: 'secondary',
      checked: CHECKED,
    },
  },
  {
    kind: 'streaming',
    id: 'deezer',
    name: 'Deezer',
    referenceLufs: -15,
    truePeakDbtp: -1,
    turnsDown: true,
    turnsUp: { kind: 'never' },
    loudCeilingDbtp: null,
    codec: {
      codec: 'mp3',
      bitrateKbps: 320,
      source: {
        url: 'https://support.deezer.com/hc/en-gb/articles/115004582765-Audio-Quality',
        note: 'Deezer streams MP3 (128 kbit/s standard, 320 kbit/s "High Quality") and FLAC for HiFi. The check uses MP3 320 kbit/s. Not re-read in this session.',
        status: 'secondary',
        checked: CHECKED,
      },
    },
    source: {
      url: 'https://blog.wavedisco.com/blog/streaming-loudness-targets',
      note: 'About -15 LUFS (other articles: -14 to -16). Not published by Deezer.',
      status: 'secondary',
      checked: CHECKED,
    },
  },
  {
    kind: 'streaming',
    id: 'soundcloud',
    name: 'SoundCloud',
    referenceLufs: -14,
    truePeakDbtp: -1,
    turnsDown: false,
    turnsUp: { kind: 'not-normalised' },
    loudCeilingDbtp: null,
    codec: {
      codec: 'opus',
      bitrateKbps: 64,
      source: {
        url: 'https://help.soundcloud.com/hc/en-us/articles/115003452847-Uploading-requirements',
        note: 'SoundCloud transcodes uploads; free listeners get Opus 64 kbit/s (HLS) or MP3 128 kbit/s, Go+ subscribers AAC 256 kbit/s. Observed by engineers, not published: an assumption.',
        status: 'secondary',
        checked: CHECKED,
      },
    },
    source: {
      url: 'https://www.sageaudio.com/blog/mastering/mastering-for-streaming-platform-loudness-and-normalization-explained.php',
      note: 'No loudness normalisation by default: files play as delivered, so a quiet master stays quiet next to loud ones. -14 LUFS is shown only as a common reference.',
      status: 'secondary',
      checked: CHECKED,
    },
  },
  {
    kind: 'broadcast',
    id: 'ebu-r128',
    name: 'EBU R 128',
    integratedLufs: -23,
    toleranceLu: 1,
    truePeakDbtp: -1,
    maxLraLu: 20,
    source: {
      url: 'https://tech.ebu.ch/publications/r128',
      note: 'Programme loudness -23.0 LUFS; +-0.5 LU where it can be normalised in file, +-1 LU for live programmes (this check uses +-1 LU); maximum true peak -1 dBTP; loudness range: Tech 3343 guidance, 20 LU used here as the upper limit for general programmes.',
      status: 'secondary',
      checked: CHECKED,
    },
  },
  {
    kind: 'broadcast',
    id: 'ebu-r128-file',
    name: 'EBU R 128 (file, +-0.5 LU)',
    integratedLufs: -23,
    toleranceLu: 0.5,
    truePeakDbtp: -1,
    maxLraLu: 20,
    source: {
      url: 'https://tech.ebu.ch/publications/r128',
      note: 'As EBU R 128 with the tighter +-0.5 LU tolerance for programmes normalised in file.',
      status: 'secondary',
      checked: CHECKED,
    },
  },
  {
    kind: 'broadcast',
    id: 'atsc-a85',
    name: 'ATSC A/85',
    integratedLufs: -24,
    toleranceLu: 2,
    truePeakDbtp: -2,
    maxLraLu: null,
    source: {
      url: 'https://www.atsc.org/atsc-documents/a85-techniques-for-establishing-and-maintaining-audio-loudness-for-digital-television/',
      note: 'Target loudness -24 LKFS with +-2 dB tolerance; true peak at most -2 dBTP. No loudness-range requirement.',
      status: 'secondary',
      checked: CHECKED,
    },
  },
];

export function findTarget(id: string): DeliveryTarget | undefined {
  return DELIVERY_TARGETS.find((t) => t.id === id);
}

export const DEFAULT_TARGET_ID = 'spotify';

/** The level a target aims at: the broadcast target loudness or the platform reference level. */
export function targetLufs(t: DeliveryTarget): number {
  return t.kind === 'broadcast' ? t.integratedLufs : t.referenceLufs;
}
