/**
 * What the simulated odds API calls things: sport keys per simulated competition, bookmakers per region,
 * and team names as an odds aggregator writes them (full club names where the exchange uses short ones),
 * so that cross-source matching is exercised on realistic differences. Data only.
 */

/** An odds API sport (GET /v4/sports entry). */
export interface SimOddsSport {
  key: string;
  group: 'Soccer' | 'Tennis' | 'Cricket';
  title: string;
  description: string;
}

/** Simulated competition name → its odds API sport. */
export const SPORT_OF_COMPETITION: Readonly<Record<string, SimOddsSport>> = {
  'English Premier League': {
    key: 'soccer_epl',
    group: 'Soccer',
    title: 'EPL',
    description: 'English Premier League',
  },
  'Spanish La Liga': {
    key: 'soccer_spain_la_liga',
    group: 'Soccer',
    title: 'La Liga - Spain',
    description: 'Spanish Soccer',
  },
  'Italian Serie A': {
    key: 'soccer_italy_serie_a',
    group: 'Soccer',
    title: 'Serie A - Italy',
    description: 'Italian Soccer',
  },
  'German Bundesliga': {
    key: 'soccer_germany_bundesliga',
    group: 'Soccer',
    title: 'Bundesliga - Germany',
    description: 'German Soccer',
  },
  'French Ligue 1': {
    key: 'soccer_france_ligue_one',
    group: 'Soccer',
    title: 'Ligue 1 - France',
    description: 'French Soccer',
  },
  'Indian Super League': {
    key: 'soccer_india_super_league',
    group: 'Soccer',
    title: 'ISL - India',
    description: 'Indian Soccer',
  },
  'Brazilian Serie A': {
    key: 'soccer_brazil_campeonato',
    group: 'Soccer',
    title: 'Brazil Série A',
    description: 'Brasileirão Série A',
  },
  'ATP Paris Masters': {
    key: 'tennis_atp_paris_masters',
    group: 'Tennis',
    title: 'ATP Paris Masters',
    description: "Men's Singles",
  },
  'ATP Vienna': {
    key: 'tennis_atp_vienna',
    group: 'Tennis',
    title: 'ATP Vienna',
    description: "Men's Singles",
  },
  'WTA Wuhan': {
    key: 'tennis_wta_wuhan_open',
    group: 'Tennis',
    title: 'WTA Wuhan Open',
    description: "Women's Singles",
  },
  'WTA Tokyo': {
    key: 'tennis_wta_tokyo',
    group: 'Tennis',
    title: 'WTA Tokyo',
    description: "Women's Singles",
  },
  'International Twenty20 Matches': {
    key: 'cricket_international_t20',
    group: 'Cricket',
    title: 'International Twenty20',
    description: 'International Twenty20',
  },
  "Women's International Twenty20": {
    key: 'cricket_womens_international_t20',
    group: 'Cricket',
    title: "Women's International T20",
    description: "Women's International Twenty20",
  },
  'Indian Premier League': {
    key: 'cricket_ipl',
    group: 'Cricket',
    title: 'IPL',
    description: 'Indian Premier League',
  },
  'Big Bash League': {
    key: 'cricket_big_bash',
    group: 'Cricket',
    title: 'Big Bash',
    description: 'Big Bash League',
  },
  'Caribbean Premier League': {
    key: 'cricket_caribbean_premier_league',
    group: 'Cricket',
    title: 'CPLT20',
    description: 'Caribbean Premier League',
  },
};

/** A bookmaker of the simulated API: its key, title, region, margin, and whether it is an exchange. */
export interface SimBookmaker {
  key: string;
  title: string;
  region: 'uk' | 'eu' | 'us' | 'au';
  /** Overround on top of fair odds (0.05 = 105 %). */
  margin: number;
  /** Exchanges also quote `h2h_lay`. */
  exchange: boolean;
}

/** The simulated bookmakers. */
export const BOOKMAKERS: readonly SimBookmaker[] = [
  { key: 'bet365', title: 'Bet365', region: 'uk', margin: 0.05, exchange: false },
  { key: 'williamhill', title: 'William Hill', region: 'uk', margin: 0.065, exchange: false },
  { key: 'sport888', title: '888sport', region: 'uk', margin: 0.07, exchange: false },
  { key: 'betfair_ex_uk', title: 'Betfair', region: 'uk', margin: 0.015, exchange: true },
  { key: 'pinnacle', title: 'Pinnacle', region: 'eu', margin: 0.025, exchange: false },
  { key: 'unibet_eu', title: 'Unibet', region: 'eu', margin: 0.055, exchange: false },
];

/** Regions the simulated API knows. */
export const REGIONS: ReadonlySet<string> = new Set(['uk', 'eu', 'us', 'us2', 'au']);

/** Market keys the simulated API accepts (totals and spreads are priced for football only). */
export const MARKET_KEYS: ReadonlySet<string> = new Set(['h2h', 'h2h_lay', 'spreads', 'totals']);

/** Exchange short name → the full name an odds aggregator uses (names not listed are the same). */
export const FULL_NAMES: Readonly<Record<string, string>> = {
  'Man Utd': 'Manchester United',
  'Man City': 'Manchester City',
  'Nottm Forest': 'Nottingham Forest',
  Wolves: 'Wolverhampton Wanderers',
  Tottenham: 'Tottenham Hotspur',
  Brighton: 'Brighton and Hove Albion',
  Newcastle: 'Newcastle United',
  'West Ham': 'West Ham United',
  Leeds: 'Leeds United',
  Betis: 'Real Betis',
  'Atletico Madrid': 'Atlético Madrid',
  Alaves: 'Alavés',
  Inter: 'Inter Milan',
  Verona: 'Hellas Verona',
  Dortmund: 'Borussia Dortmund',
  Leverkusen: 'Bayer Leverkusen',
  Gladbach: 'Borussia Monchengladbach',
  Mainz: 'FSV Mainz 05',
  Hoffenheim: 'TSG Hoffenheim',
  Freiburg: 'SC Freiburg',
  Stuttgart: 'VfB Stuttgart',
  Wolfsburg: 'VfL Wolfsburg',
  Augsburg: 'FC Augsburg',
  Heidenheim: '1. FC Heidenheim',
  'St Pauli': 'FC St. Pauli',
  'Paris St-G': 'Paris Saint Germain',
  Monaco: 'AS Monaco',
  Rennes: 'Stade Rennais',
  Brest: 'Stade Brestois 29',
  Reims: 'Stade de Reims',
  Strasbourg: 'RC Strasbourg',
  Lens: 'RC Lens',
  'East Bengal': 'East Bengal FC',
  'Mumbai City': 'Mumbai City FC',
  'Kerala Blasters': 'Kerala Blasters FC',
  Odisha: 'Odisha FC',
  Chennaiyin: 'Chennaiyin FC',
  Jamshedpur: 'Jamshedpur FC',
  'NorthEast Utd': 'NorthEast United FC',
  'Mohun Bagan SG': 'Mohun Bagan Super Giant',
  'Sao Paulo': 'São Paulo',
  Gremio: 'Grêmio',
  'Atletico MG': 'Atlético Mineiro',
  'Vasco Da Gama': 'Vasco da Gama',
  'England W': 'England Women',
  'India W': 'India Women',
  'Australia W': 'Australia Women',
  'New Zealand W': 'New Zealand Women',
  'South Africa W': 'South Africa Women',
  'Pakistan W': 'Pakistan Women',
  'Sri Lanka W': 'Sri Lanka Women',
  'West Indies W': 'West Indies Women',
  'Bangladesh W': 'Bangladesh Women',
  'Ireland W': 'Ireland Women',
  'St Kitts and Nevis Patriots': 'St Kitts & Nevis Patriots',
};

/** The aggregator's name for a side. */
export function fullName(name: string): string {
  return FULL_NAMES[name] ?? name;
}
