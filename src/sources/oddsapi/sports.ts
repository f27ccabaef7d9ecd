/**
 * The Odds API sport groups → oddsgate's canonical sport ids (src/model/sport.ts). Sport keys look like
 * `soccer_epl`, `tennis_atp_paris`, `cricket_ipl`; their `group` names the sport.
 */
const GROUP_TO_SPORT: Readonly<Record<string, number>> = {
  soccer: 1,
  tennis: 2,
  cricket: 3,
  basketball: 7522,
  'ice hockey': 7524,
  handball: 468328,
  volleyball: 998917,
  'american football': 6423,
  baseball: 7511,
  'rugby league': 1477,
  'rugby union': 5,
  boxing: 6,
  'mixed martial arts': 26420387,
  darts: 3503,
  snooker: 6422,
  'aussie rules': 61420,
};

/** Sport key prefixes for when only the key is known (`soccer_epl` → soccer). */
const KEY_PREFIX_TO_GROUP: Readonly<Record<string, string>> = {
  soccer: 'soccer',
  tennis: 'tennis',
  cricket: 'cricket',
  basketball: 'basketball',
  icehockey: 'ice hockey',
  handball: 'handball',
  volleyball: 'volleyball',
  americanfootball: 'american football',
  baseball: 'baseball',
  rugbyleague: 'rugby league',
  rugbyunion: 'rugby union',
  boxing: 'boxing',
  mma: 'mixed martial arts',
  darts: 'darts',
  snooker: 'snooker',
  aussierules: 'aussie rules',
};

/** The canonical sport id of an Odds API sport (by group, else by key prefix), or null when unmapped. */
export function sportIdOf(group: string | undefined, key: string): number | null {
  const byGroup = group === undefined ? undefined : GROUP_TO_SPORT[group.trim().toLowerCase()];
  if (byGroup !== undefined) return byGroup;
  const prefix = key.split('_')[0] ?? '';
  const g = KEY_PREFIX_TO_GROUP[prefix];
  return g === undefined ? null : (GROUP_TO_SPORT[g] ?? null);
}
