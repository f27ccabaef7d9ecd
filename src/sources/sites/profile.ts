/**
 * Site profiles (`config/sites/<name>.json`): everything that differs between Vue betting sites read through
 * the browser — the URL pool, how to log in, which localStorage keys hold what and the paths that map them
 * to the model, and the match page's URL pattern and DOM selectors. zod-validated; an error names the key.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { OddsgateError } from '../../core/errors.js';

const selector = z.string().min(1);
/** A dotted path into a JSON value ("data", "a.b.0"); "" = the value itself. */
const path = z.string();

/** Where one kind of data sits in localStorage: the key and the path to it inside the key's JSON. */
const StorageSlotSchema = z.object({ key: z.string().min(1), path: path.default('') });

/** Field paths of an event object in localStorage. */
const EventFieldsSchema = z.object({
  id: path,
  sportId: path,
  name: path,
  competition: path,
  startTime: path,
  inPlay: path,
  hasFancy: path,
  hasBookmaker: path,
  scoreUrl: path,
  markets: path,
});

/** Field paths of a summary market, its runners and price levels. */
const MarketFieldsSchema = z.object({
  id: path,
  name: path,
  type: path,
  status: path,
  minStake: path,
  maxStake: path,
  runners: path,
  runnerId: path,
  runnerName: path,
  runnerStatus: path,
  back: path,
  lay: path,
  price: path,
  size: path,
});

/** DOM selectors of one market kind on the match page. */
const MarketKindSelectorsSchema = z.object({
  /** A market block of this kind (one element per market). */
  block: selector,
});

/** DOM selectors inside a market block (shared by the three kinds). */
const BlockSelectorsSchema = z.object({
  name: selector,
  minStake: selector,
  maxStake: selector,
  runner: selector,
  runnerName: selector,
  back: selector,
  lay: selector,
  price: selector,
  size: selector,
  /** Present inside a runner row when it is suspended (or a class on the row / block, see below). */
  suspended: selector,
  /** Attribute of a block holding the upstream market id. */
  marketIdAttr: z.string().min(1),
  /** Attribute of a runner row holding the upstream selection id. */
  runnerIdAttr: z.string().min(1),
});

/** A site profile: URL pool, login, localStorage mapping, match page and its selectors. */
export const SiteProfileSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  /** Base URLs of the site's mirrors (the domain pool). */
  urls: z.array(z.string().url()).min(1),
  login: z.object({
    mode: z.enum(['demo', 'form']),
    /** The Demo button (mode "demo"). */
    demoButton: selector,
    /** The username/password form (mode "form"; credentials from the env vars named here). */
    form: z.object({
      username: selector,
      password: selector,
      submit: selector,
      usernameEnv: z.string().min(1),
      passwordEnv: z.string().min(1),
    }),
    /** Present on the login page: seen where the app should be, it means the session is gone. */
    loginPage: selector,
    /** localStorage key set once logged in. */
    tokenKey: z.string().min(1),
  }),
  app: z.object({
    /** Present once the app's home page has rendered. */
    readySelector: selector,
    /** localStorage key the app rewrites on every refresh (a timestamp). */
    refreshedKey: z.string().min(1),
  }),
  storage: z.object({
    sports: StorageSlotSchema.extend({ fields: z.object({ id: path, name: path }) }),
    events: StorageSlotSchema.extend({ fields: EventFieldsSchema }),
    market: MarketFieldsSchema,
    casino: StorageSlotSchema,
    openBets: StorageSlotSchema,
    betslips: StorageSlotSchema,
    userInfo: StorageSlotSchema,
    tokens: StorageSlotSchema,
  }),
  /** The site's sport ids → canonical ids (1 Football, 2 Tennis, 3 Cricket, 26 Horse Racing). */
  sportIds: z.record(z.string().regex(/^\d+$/), z.number().int()),
  match: z.object({
    /** Path of a match page; `{gmid}` and `{etid}` are replaced. */
    urlPattern: z.string().regex(/\{gmid\}/, 'must contain {gmid}'),
    /** Present once the match page has loaded its markets. */
    readySelector: selector,
    kinds: z.object({
      MatchOdds: MarketKindSelectorsSchema,
      BookMaker: MarketKindSelectorsSchema,
      Fancy: MarketKindSelectorsSchema,
    }),
    block: BlockSelectorsSchema,
  }),
});
/** A validated site profile. */
export type SiteProfile = z.infer<typeof SiteProfileSchema>;
/** Selectors inside a match-page market block. */
export type BlockSelectors = SiteProfile['match']['block'];

/** Raised when a profile cannot be read or is invalid; the message names the file and the key. */
export class SiteProfileError extends OddsgateError<'SITE_PROFILE_INVALID'> {
  constructor(message: string) {
    super('SITE_PROFILE_INVALID', message);
    this.name = 'SiteProfileError';
  }
}

/** Validates a parsed profile; `file` is only used in error messages. */
export function parseSiteProfile(raw: unknown, file: string): SiteProfile {
  const parsed = SiteProfileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path.map(String).join('.') || '(root)';
  throw new SiteProfileError(`invalid site profile ${file}: ${key}: ${issue?.message ?? 'invalid'}`);
}

/** Default folder of site profiles. */
export const DEFAULT_SITES_DIR = 'config/sites';

/** Reads and validates `<dir>/<name>.json`. */
export function loadSiteProfile(name: string, dir: string = DEFAULT_SITES_DIR): SiteProfile {
  const file = resolve(dir, `${name}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SiteProfileError(`cannot read site profile ${file}: ${(err as Error).message}`);
  }
  const profile = parseSiteProfile(raw, file);
  if (profile.name !== name)
    throw new SiteProfileError(`invalid site profile ${file}: name: expected "${name}"`);
  return profile;
}

/** The match page URL of a game on a base URL. */
export function matchUrl(profile: SiteProfile, base: string, gmid: string, etid: string): string {
  return (
    base +
    profile.match.urlPattern
      .replace('{gmid}', encodeURIComponent(gmid))
      .replace('{etid}', encodeURIComponent(etid))
  );
}
