/**
 * Which odds API request to make next. Every tracked sport has an odds job (and, while it has games in
 * play, a scores job); each job has a weight — more for sports with games in play, less for sports with
 * nothing on — and the job whose weight × time since its last run is largest goes next, never sooner than
 * the minimum interval. The quota plan decides when any request may go; this decides which.
 */

/** What the schedule knows of a game of a sport. */
export interface GameState {
  commenceAt: number;
  completed: boolean;
}

/** One tracked sport. */
export interface SportState {
  key: string;
  title: string;
  sportId: number;
  lastOddsAt: number | null;
  lastScoresAt: number | null;
  /** Games seen in the last odds (and scores) responses, by upstream id. */
  games: Map<string, GameState>;
  /** Set after a 422 for this sport: it is not polled again until the sports list is refreshed. */
  disabled: string | null;
}

/** A request the schedule may pick. */
export interface Job {
  kind: 'odds' | 'scores';
  sport: SportState;
  cost: number;
}

/** Tunables of the schedule. */
export interface ScheduleOptions {
  /** Credits one odds request costs (markets × regions). */
  oddsCost: number;
  /** Credits one scores request costs (2 with daysFrom, else 1); 0 disables scores. */
  scoresCost: number;
  /** Weight of a sport with games in play (1 for one with games to come). */
  inPlayWeight: number;
  /** No job runs more often than this. */
  minIntervalMs: number;
  /** A started game not reported completed stops counting as in play after this. */
  maxGameMs: number;
}

/** Weight of a sport that had no games in its last response. */
const IDLE_WEIGHT = 0.25;
/** Scores polls run at this share of the odds weight. */
const SCORES_SHARE = 0.5;
/** Games starting within this count as "to come" (weight 1). */
const SOON_MS = 24 * 3600_000;

/** Games of a sport started and not completed at `now`. */
export function inPlayGames(s: SportState, now: number, opts: ScheduleOptions): number {
  let n = 0;
  for (const g of s.games.values()) {
    if (!g.completed && g.commenceAt <= now && now - g.commenceAt < opts.maxGameMs) n++;
  }
  return n;
}

/** The odds weight of a sport at `now`. */
export function sportWeight(s: SportState, now: number, opts: ScheduleOptions): number {
  if (s.lastOddsAt === null) return 1;
  if (inPlayGames(s, now, opts) > 0) return opts.inPlayWeight;
  for (const g of s.games.values()) if (!g.completed && g.commenceAt - now < SOON_MS) return 1;
  return IDLE_WEIGHT;
}

function urgency(last: number | null, weight: number, now: number): number {
  return last === null ? Number.MAX_SAFE_INTEGER * weight : weight * (now - last);
}

/** Jobs that may run at `now` (past their minimum interval), most urgent first. */
export function dueJobs(sports: Iterable<SportState>, now: number, opts: ScheduleOptions): Job[] {
  const jobs: { job: Job; urgency: number }[] = [];
  for (const s of sports) {
    if (s.disabled) continue;
    const w = sportWeight(s, now, opts);
    if (s.lastOddsAt === null || now - s.lastOddsAt >= opts.minIntervalMs) {
      jobs.push({
        job: { kind: 'odds', sport: s, cost: opts.oddsCost },
        urgency: urgency(s.lastOddsAt, w, now),
      });
    }
    const live = opts.scoresCost > 0 && inPlayGames(s, now, opts) > 0;
    if (live && (s.lastScoresAt === null || now - s.lastScoresAt >= opts.minIntervalMs)) {
      const last = s.lastScoresAt ?? s.lastOddsAt;
      const u = urgency(last, w * SCORES_SHARE, now);
      jobs.push({ job: { kind: 'scores', sport: s, cost: opts.scoresCost }, urgency: u });
    }
  }
  return jobs.sort((a, b) => b.urgency - a.urgency).map((j) => j.job);
}

/** Epoch ms when the next job passes its minimum interval (Infinity with no sports). */
export function nextDueAt(sports: Iterable<SportState>, opts: ScheduleOptions): number {
  let t = Infinity;
  for (const s of sports) {
    if (s.disabled) continue;
    t = Math.min(t, s.lastOddsAt === null ? 0 : s.lastOddsAt + opts.minIntervalMs);
  }
  return t;
}
