/**
 * Word lists of team-name normalisation (data only; see names.ts for how they are used). Every entry is
 * already in normalised form: lower case, no accents, no punctuation.
 */

/** Words that never tell two teams apart: legal forms, club-type prefixes, articles. Dropped. */
export const NOISE_WORDS: ReadonlySet<string> = new Set(
  `fc cf afc sc ac cd ud sd rc rcd sk fk nk bk if ff sv vfb vfl tsg tsv ssc as us ogc osc sl gnk jk cfc bsc
   ca se ec cr sa kv kaa krc fsv spvgg pfc club calcio the and of de del da do
   borussia bayer rb rasenballsport`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

/**
 * Words a source may leave off a club's name ("West Ham" / "West Ham United"): one name may carry them
 * where the other does not, but two different ones never make two names equal ("Manchester United" and
 * "Manchester City" stay apart).
 */
export const SOFT_SUFFIXES: ReadonlySet<string> = new Set(
  `united city town county hotspur wanderers albion hove athletic rovers olympique eintracht real sporting
   stade`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

/** Word-level abbreviations and translations, applied to every word. */
export const WORD_ALIASES: Readonly<Record<string, string>> = {
  man: 'manchester',
  utd: 'united',
  nottm: 'nottingham',
  st: 'saint',
  ste: 'sainte',
  atl: 'atletico',
  sp: 'sporting',
  munchen: 'munich',
  muenchen: 'munich',
  koln: 'cologne',
  koeln: 'cologne',
  praha: 'prague',
  wien: 'vienna',
  lisboa: 'lisbon',
  milano: 'milan',
  warszawa: 'warsaw',
  bengaluru: 'bangalore',
  sevilla: 'seville',
  kiev: 'kyiv',
  intl: 'international',
  sheff: 'sheffield',
  wed: 'wednesday',
};

/**
 * Whole-name aliases: well-known short names and nicknames of one side, as [variant, canonical] in plain
 * words; names.ts runs both through the same normalisation before comparing.
 */
export const NAME_ALIASES: readonly (readonly [string, string])[] = [
  ['Wolves', 'Wolverhampton'],
  ['Spurs', 'Tottenham'],
  ['QPR', 'Queens Park Rangers'],
  ['PSG', 'Paris Saint Germain'],
  ['Paris St G', 'Paris Saint Germain'],
  ['Paris SG', 'Paris Saint Germain'],
  ['Inter Milan', 'Inter'],
  ['Internazionale', 'Inter'],
  ['Ajax Amsterdam', 'Ajax'],
  ['Gladbach', 'Monchengladbach'],
  ['M Gladbach', 'Monchengladbach'],
  ['Olympique Lyonnais', 'Lyon'],
  ['Athletic Club', 'Athletic Bilbao'],
  ['Celta Vigo', 'Celta'],
  ['Atletico MG', 'Atletico Mineiro'],
  ['Mohun Bagan SG', 'Mohun Bagan Super Giant'],
  ['Sporting Lisbon', 'Sporting CP'],
  ['Red Bull Salzburg', 'Salzburg'],
  ['Hellas Verona', 'Verona'],
  ['Stade Rennais', 'Rennes'],
  ['Stade Brestois', 'Brest'],
  ['CSK', 'Chennai Super Kings'],
  ['MI', 'Mumbai Indians'],
  ['RCB', 'Royal Challengers Bangalore'],
  ['KKR', 'Kolkata Knight Riders'],
];

/** Words marking a women's side. */
export const WOMEN_WORDS: ReadonlySet<string> = new Set(
  `women womens woman ladies lady fem femenino feminino femminile feminin feminine frauen damen dames kvinner
   dam`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

/** Words marking a reserve or second side ("Bayern Munich II", "Real Madrid Castilla", "Jong Ajax"). */
export const RESERVE_WORDS: ReadonlySet<string> = new Set([
  'ii',
  'iii',
  'reserves',
  'reserve',
  'res',
  'castilla',
  'jong',
]);

/** Words marking a youth side without an age ("Youth", "Juniors"); ages are read as u<nn>. */
export const YOUTH_WORDS: ReadonlySet<string> = new Set([
  'youth',
  'juniors',
  'junior',
  'academy',
  'primavera',
]);
