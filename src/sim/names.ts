/**
 * Name pools for simulated fixtures: real-looking clubs, players, national and franchise teams,
 * racecourses and horse names, grouped by competition. Data only.
 */

function list(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A competition and the sides that play in it. */
export interface CompetitionPool {
  name: string;
  countryCode: string;
  timezone: string;
  teams: readonly string[];
}

/** Football competitions (Betfair-style short club names). */
export const FOOTBALL: readonly CompetitionPool[] = [
  {
    name: 'English Premier League',
    countryCode: 'GB',
    timezone: 'Europe/London',
    teams: list(`Arsenal, Aston Villa, Bournemouth, Brentford, Brighton, Chelsea, Crystal Palace, Everton,
      Fulham, Liverpool, Man City, Man Utd, Newcastle, Nottm Forest, Tottenham, West Ham, Wolves, Leeds,
      Burnley, Sunderland`),
  },
  {
    name: 'Spanish La Liga',
    countryCode: 'ES',
    timezone: 'Europe/Madrid',
    teams: list(`Real Madrid, Barcelona, Atletico Madrid, Sevilla, Real Sociedad, Villarreal, Betis,
      Athletic Bilbao, Valencia, Girona, Osasuna, Celta Vigo, Getafe, Mallorca, Rayo Vallecano, Alaves`),
  },
  {
    name: 'Italian Serie A',
    countryCode: 'IT',
    timezone: 'Europe/Rome',
    teams: list(`Inter, AC Milan, Juventus, Napoli, Roma, Lazio, Atalanta, Fiorentina, Bologna, Torino,
      Genoa, Udinese, Sassuolo, Lecce, Cagliari, Verona`),
  },
  {
    name: 'German Bundesliga',
    countryCode: 'DE',
    timezone: 'Europe/Berlin',
    teams: list(`Bayern Munich, Dortmund, RB Leipzig, Leverkusen, Eintracht Frankfurt, Stuttgart, Wolfsburg,
      Freiburg, Hoffenheim, Mainz, Werder Bremen, Union Berlin, Augsburg, Gladbach, Heidenheim, St Pauli`),
  },
  {
    name: 'French Ligue 1',
    countryCode: 'FR',
    timezone: 'Europe/Paris',
    teams: list(`Paris St-G, Marseille, Lyon, Monaco, Lille, Nice, Lens, Rennes, Nantes, Strasbourg,
      Toulouse, Brest, Reims, Montpellier, Auxerre, Angers`),
  },
  {
    name: 'Indian Super League',
    countryCode: 'IN',
    timezone: 'Asia/Kolkata',
    teams: list(`Mohun Bagan SG, East Bengal, Bengaluru FC, Mumbai City, Kerala Blasters, FC Goa, Odisha,
      Chennaiyin, Jamshedpur, Hyderabad FC, Punjab FC, NorthEast Utd`),
  },
  {
    name: 'Brazilian Serie A',
    countryCode: 'BR',
    timezone: 'America/Sao_Paulo',
    teams: list(`Flamengo, Palmeiras, Corinthians, Sao Paulo, Santos, Gremio, Internacional, Fluminense,
      Botafogo, Atletico MG, Cruzeiro, Vasco Da Gama, Bahia, Fortaleza`),
  },
];

/** Tennis tournaments and their draws (full player names; events use surnames). */
export const TENNIS: readonly CompetitionPool[] = [
  {
    name: 'ATP Paris Masters',
    countryCode: 'FR',
    timezone: 'Europe/Paris',
    teams: list(`Jannik Sinner, Carlos Alcaraz, Alexander Zverev, Novak Djokovic, Taylor Fritz,
      Daniil Medvedev, Casper Ruud, Alex De Minaur, Andrey Rublev, Grigor Dimitrov, Stefanos Tsitsipas,
      Tommy Paul, Holger Rune, Ben Shelton, Jack Draper, Frances Tiafoe`),
  },
  {
    name: 'ATP Vienna',
    countryCode: 'AT',
    timezone: 'Europe/Vienna',
    teams: list(`Lorenzo Musetti, Ugo Humbert, Hubert Hurkacz, Sebastian Korda, Arthur Fils,
      Felix Auger-Aliassime, Karen Khachanov, Alejandro Davidovich Fokina, Francisco Cerundolo, Tomas Machac,
      Jiri Lehecka, Joao Fonseca, Alexei Popyrin, Flavio Cobolli`),
  },
  {
    name: 'WTA Wuhan',
    countryCode: 'CN',
    timezone: 'Asia/Shanghai',
    teams: list(`Aryna Sabalenka, Iga Swiatek, Coco Gauff, Jessica Pegula, Elena Rybakina, Jasmine Paolini,
      Qinwen Zheng, Emma Navarro, Daria Kasatkina, Barbora Krejcikova, Paula Badosa, Danielle Collins,
      Mirra Andreeva, Madison Keys`),
  },
  {
    name: 'WTA Tokyo',
    countryCode: 'JP',
    timezone: 'Asia/Tokyo',
    teams: list(`Diana Shnaider, Anna Kalinskaya, Beatriz Haddad Maia, Donna Vekic, Jelena Ostapenko,
      Karolina Muchova, Elina Svitolina, Marta Kostyuk, Leylah Fernandez, Ons Jabeur, Naomi Osaka,
      Amanda Anisimova, Ekaterina Alexandrova, Liudmila Samsonova`),
  },
];

/** Cricket competitions (T20), national sides including women's ("England W") and franchises. */
export const CRICKET: readonly CompetitionPool[] = [
  {
    name: 'International Twenty20 Matches',
    countryCode: 'GB',
    timezone: 'Europe/London',
    teams: list(`India, Australia, England, Pakistan, South Africa, New Zealand, Sri Lanka, Bangladesh,
      West Indies, Afghanistan, Ireland, Zimbabwe`),
  },
  {
    name: "Women's International Twenty20",
    countryCode: 'AU',
    timezone: 'Australia/Sydney',
    teams: list(`England W, India W, Australia W, New Zealand W, South Africa W, Pakistan W, Sri Lanka W,
      West Indies W, Bangladesh W, Ireland W`),
  },
  {
    name: 'Indian Premier League',
    countryCode: 'IN',
    timezone: 'Asia/Kolkata',
    teams: list(`Chennai Super Kings, Mumbai Indians, Royal Challengers Bengaluru, Kolkata Knight Riders,
      Delhi Capitals, Punjab Kings, Rajasthan Royals, Sunrisers Hyderabad, Lucknow Super Giants, Gujarat Titans`),
  },
  {
    name: 'Big Bash League',
    countryCode: 'AU',
    timezone: 'Australia/Sydney',
    teams: list(`Sydney Sixers, Sydney Thunder, Melbourne Stars, Melbourne Renegades, Perth Scorchers,
      Brisbane Heat, Adelaide Strikers, Hobart Hurricanes`),
  },
  {
    name: 'Caribbean Premier League',
    countryCode: 'TT',
    timezone: 'America/Port_of_Spain',
    teams: list(`Trinbago Knight Riders, Guyana Amazon Warriors, Barbados Royals, Jamaica Tallawahs,
      St Kitts and Nevis Patriots, St Lucia Kings, Antigua and Barbuda Falcons`),
  },
];

/** A racecourse with its country and time zone. */
export interface Racecourse {
  venue: string;
  countryCode: string;
  timezone: string;
}

function courses(countryCode: string, timezone: string, names: string): Racecourse[] {
  return list(names).map((venue) => ({ venue, countryCode, timezone }));
}

/** Racecourses (GB, IE, US, AU, ZA). */
export const RACECOURSES: readonly Racecourse[] = [
  ...courses(
    'GB',
    'Europe/London',
    `Ascot, Kempton, Newmarket, Cheltenham, Sandown, Lingfield, Wolverhampton, Doncaster, York, Haydock,
     Newcastle, Chelmsford City, Southwell, Hamilton, Musselburgh, Catterick, Goodwood, Epsom, Leicester, Windsor`,
  ),
  ...courses('IE', 'Europe/Dublin', 'Leopardstown, Curragh, Dundalk, Punchestown, Fairyhouse, Naas, Galway'),
  ...courses('US', 'US/Eastern', 'Aqueduct, Gulfstream Park, Belmont Park, Keeneland'),
  ...courses('AU', 'Australia/Sydney', 'Flemington, Randwick, Caulfield, Moonee Valley, Rosehill'),
  ...courses('ZA', 'Africa/Johannesburg', 'Turffontein, Greyville, Kenilworth'),
];

/** Race distances and race types, combined into market names such as "1m2f Hcap". */
export const RACE_DISTANCES = list('5f, 6f, 7f, 1m, 1m1f, 1m2f, 1m4f, 1m6f, 2m, 2m4f, 3m');
export const RACE_TYPES = list(
  'Hcap, Mdn Stks, Nov Stks, Class 4, Class 5, Listed, Stks, Hcap Hrd, Nov Hrd, Hcap Chs',
);

const HORSE_FIRST = list(`Golden, Silver, Midnight, Royal, Desert, Ocean, Storm, Lucky, Wild, Noble, Crimson,
  Shadow, Rapid, Silent, Dancing, Flying, Secret, Highland, Celtic, Northern, Bold, Mystic, Summer, Winter,
  Velvet, Iron, Scarlet, Misty, Cosmic, Hidden, Dream, Sunset, Thunder, Copper, Amber, Diamond, Emerald, Frosty,
  Brave, Gentle, Captain, Lady, Sir, Little, Mister, Queen, Master, Kings, Harbour, Quiet`);
const HORSE_SECOND = list(`Arrow, Legend, Witness, Dancer, Spirit, Prince, Warrior, Falcon, Express, Whisper,
  Tiger, Glory, Empire, Rebel, Voyager, Melody, Echo, Jewel, Sovereign, Ranger, Dawn, Comet, Knight, Breeze,
  Duke, Flame, Phoenix, Star, River, Hero, Magic, Quest, Dash, Charm, Lord, Lightning, Valley, Harmony, Fortune,
  Mirage, Destiny, Boy, Spark, Approach, Runner, Rose, Crown, Heights, Bay, Return`);

/** Number of distinct horse names the generator can produce. */
export const HORSE_NAME_COUNT = HORSE_FIRST.length * HORSE_SECOND.length;

/** The horse name with index i (0 ≤ i < HORSE_NAME_COUNT); repeated words are avoided by the pools. */
export function horseName(i: number): string {
  const a = HORSE_FIRST[i % HORSE_FIRST.length] as string;
  const b = HORSE_SECOND[Math.floor(i / HORSE_FIRST.length) % HORSE_SECOND.length] as string;
  return a === b ? `${a} Two` : `${a} ${b}`;
}

/** Betfair's selection id of "The Draw" in football match odds markets. */
export const DRAW_SELECTION_ID = 58805;
