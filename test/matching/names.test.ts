import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { nameKey, plainWords } from '../../src/matching/names.js';
import { sameTeam, teamSimilarity } from '../../src/matching/teams.js';

type Row = readonly [a: string, b: string, same: boolean, kind?: 'person'];

/**
 * Real-looking pairs of how two sources name a side. `true`: the same side; `false`: different sides that
 * a careless matcher would merge (women's vs men's, youth vs senior, reserves, two clubs of one city, ...).
 */
const PAIRS: readonly Row[] = [
  // the same side, named two ways
  ['Man Utd', 'Manchester United FC', true],
  ['Man City', 'Manchester City', true],
  ['Nottm Forest', 'Nottingham Forest', true],
  ['Wolves', 'Wolverhampton Wanderers', true],
  ['Spurs', 'Tottenham Hotspur', true],
  ['Tottenham', 'Tottenham Hotspur', true],
  ['Brighton', 'Brighton and Hove Albion', true],
  ['Newcastle', 'Newcastle United', true],
  ['West Ham', 'West Ham United', true],
  ['Bournemouth', 'AFC Bournemouth', true],
  ['Sheffield Utd', 'Sheffield United', true],
  ['Sheff Wed', 'Sheffield Wednesday', true],
  ['QPR', 'Queens Park Rangers', true],
  ['Paris St-G', 'Paris Saint-Germain', true],
  ['PSG', 'Paris Saint Germain', true],
  ['Inter', 'Inter Milan', true],
  ['Internazionale', 'Inter', true],
  ['AC Milan', 'Milan', true],
  ['Bayern Munich', 'FC Bayern München', true],
  ['Gladbach', 'Borussia Mönchengladbach', true],
  ['Dortmund', 'Borussia Dortmund', true],
  ['Leverkusen', 'Bayer 04 Leverkusen', true],
  ['RB Leipzig', 'Leipzig', true],
  ['Atletico Madrid', 'Atlético de Madrid', true],
  ['Athletic Bilbao', 'Athletic Club', true],
  ['Betis', 'Real Betis', true],
  ['Celta Vigo', 'RC Celta de Vigo', true],
  ['Köln', '1. FC Koeln', true],
  ['St Pauli', 'FC St. Pauli', true],
  ['Saint-Étienne', 'St Etienne', true],
  ['Olympiakos', 'Olympiacos', true],
  ['Fenerbahce', 'Fenerbahçe', true],
  ['Besiktas', 'Beşiktaş JK', true],
  ['Malmo FF', 'Malmö', true],
  ['Brondby', 'Brøndby IF', true],
  ['Legia Warsaw', 'Legia Warszawa', true],
  ['Slavia Prague', 'SK Slavia Praha', true],
  ['Austria Vienna', 'FK Austria Wien', true],
  ['Sao Paulo', 'São Paulo', true],
  ['Atletico MG', 'Atlético Mineiro', true],
  ['Mohun Bagan SG', 'Mohun Bagan Super Giant', true],
  ['Barcelona Women', 'FC Barcelona W', true],
  ['Chelsea Ladies', 'Chelsea FC Women', true],
  ['England U21', 'England Under-21', true],
  ['Roma U19', 'AS Roma U-19', true],
  ['Bayern Munich II', 'FC Bayern München II', true],
  ['India Women', 'India W', true],
  ['Royal Challengers Bengaluru', 'Royal Challengers Bangalore', true],
  ['St Kitts and Nevis Patriots', 'St. Kitts & Nevis Patriots', true],
  ['Novak Djokovic', 'Djokovic N.', true, 'person'],
  ['Djokovic', 'Novak Djokovic', true, 'person'],
  ['Carlos Alcaraz', 'Alcaraz, Carlos', true, 'person'],
  ['Alex De Minaur', 'De Minaur A.', true, 'person'],
  ['Iga Swiatek', 'Iga Świątek', true, 'person'],
  ['Davidovich Fokina', 'Alejandro Davidovich Fokina', true, 'person'],
  // different sides
  ['Manchester United', 'Manchester City', false],
  ['Man Utd', 'Man City', false],
  ['Inter', 'Inter Miami', false],
  ['Inter Milan', 'Inter Miami CF', false],
  ['AC Milan', 'Inter Milan', false],
  ['Barcelona', 'Barcelona Women', false],
  ['Barcelona W', 'Barcelona', false],
  ['Arsenal', 'Arsenal Women', false],
  ['Chelsea FC Women', 'Chelsea', false],
  ['Real Madrid', 'Real Madrid Castilla', false],
  ['Bayern Munich II', 'Bayern Munich', false],
  ['Roma U19', 'AS Roma', false],
  ['England U21', 'England', false],
  ['Brazil U20', 'Brazil U17', false],
  ['Ajax', 'Jong Ajax', false],
  ['India', 'India A', false],
  ['Australia', 'Australia Women', false],
  ['Sporting CP', 'Sporting Kansas City', false],
  ['Atletico Madrid', 'Real Madrid', false],
  ['Newcastle United', 'Newcastle Jets', false],
  ['Everton', 'Everton de Viña del Mar', false],
  ['Liverpool', 'Liverpool Montevideo', false],
  ['Rangers', 'Queens Park Rangers', false],
  ['Paris Saint-Germain', 'Paris FC', false],
  ['Hertha Berlin', 'Union Berlin', false],
  ['Sheffield United', 'Sheffield Wednesday', false],
  ['Bristol City', 'Bristol Rovers', false],
  ['Mumbai Indians', 'Mumbai City', false],
  ['Wolves', 'Wolfsburg', false],
  ['Dynamo Kyiv', 'Dynamo Moscow', false],
  ['Celta Vigo', 'Celtic', false],
  ['Venus Williams', 'Serena Williams', false, 'person'],
  ['S. Williams', 'Venus Williams', false, 'person'],
];

describe('team name matching', () => {
  test('the table has at least 60 pairs and a third of them must not match', () => {
    assert.ok(PAIRS.length >= 60, `${PAIRS.length} pairs`);
    const negatives = PAIRS.filter((p) => !p[2]).length;
    assert.ok(negatives * 3 >= PAIRS.length, `${negatives} must-not-match pairs of ${PAIRS.length}`);
  });

  test('every pair is decided as the table says: no false match, no missed match', () => {
    const wrong: string[] = [];
    for (const [a, b, same, kind] of PAIRS) {
      const opts = { individual: kind === 'person' };
      const got = sameTeam(a, b, opts);
      const back = sameTeam(b, a, opts);
      if (got !== same || back !== same) {
        wrong.push(
          `${a} / ${b}: expected ${same ? 'match' : 'no match'}, score ${teamSimilarity(a, b, opts)}`,
        );
      }
    }
    const falseMatches = wrong.filter((w) => w.includes('expected no match'));
    assert.deepEqual(falseMatches, [], 'false matches');
    assert.deepEqual(wrong, []);
  });

  test('normalisation drops case, accents, punctuation and legal forms, and keeps the category', () => {
    assert.deepEqual(plainWords('Borussia Mönchengladbach U-19'), ['borussia', 'monchengladbach', 'u19']);
    assert.deepEqual(nameKey('FC Barcelona Femení').words, ['barcelona', 'femeni']);
    assert.equal(nameKey('Barcelona Women').category, 'w');
    assert.equal(nameKey('Chelsea U21 Women').category, 'u21 w');
    assert.deepEqual(nameKey('Forest Nottingham').words, nameKey('Nottingham Forest').words);
  });
});
