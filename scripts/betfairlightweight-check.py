#!/usr/bin/env python3
"""Manual conformance check: runs betfairlightweight (unmodified, from its public source) against
`oddsgate simulate`.

    git clone https://github.com/betfair/betfairlightweight /tmp/bflw   # or any copy of its source
    PYTHONPATH=/tmp/bflw python3 scripts/betfairlightweight-check.py [--seconds 40]

Needs python3 with `requests` (`orjson`/`ciso8601` optional, as for betfairlightweight itself). The script
starts the simulator (`npx tsx src/cli.ts simulate --esa-port 0 --api-port 0`), points the client at it
(the client's endpoint attributes are set, its code is not changed), then:

1. logs in interactively and parses every catalogue answer into the client's resources (listEventTypes,
   listCompetitions, listEvents, listMarketCatalogue with every projection, listMarketBook with SP and
   exchange prices): a missing or undocumented field fails here as it would for a user;
2. opens two independent stream connections with the client's standard market subscription (nulls for
   the clocks, as it sends them) and one order-only connection, reconnecting with the client's own
   `initial_clk`/`clk` on a socket error, while faults are injected through the simulator's admin route
   (dropped connections, a degraded 503 stream, split/merged writes);
3. compares the two connections' books (the client's MarketBook caches) whenever both have applied the
   same simulator clock: they must be identical;
4. bets through the betting and account operations (placeOrders with a repeated customerRef, cancelOrders with
   sizeReduction, replaceOrders, updateOrders, listCurrentOrders, listClearedOrders, listRunnerBook,
   getAccountFunds, getAccountDetails), every answer parsed into the client's resources.

Exit status 0 when everything passes; the summary is printed as one JSON line.
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request

import betfairlightweight
from betfairlightweight import filters
from betfairlightweight.exceptions import BetfairError
from betfairlightweight.streaming.betfairstream import BetfairStream

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_simulator(events):
    proc = subprocess.Popen(
        ["npx", "tsx", "src/cli.ts", "simulate", "--esa-port", "0", "--api-port", "0",
         "--events", str(events), "--rate", "40"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise SystemExit("the simulator printed no ready line")
    return proc, json.loads(line)


def admin(ready, fault):
    req = urllib.request.Request(
        ready["api"]["admin"] + "/fault", data=json.dumps(fault).encode(), method="POST",
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=5) as res:
        return json.loads(res.read())


def hub_clk(clk):
    """The simulator's clock inside its opaque clk token (`<clk>.<subscription>`, base64)."""
    try:
        return int(base64.b64decode(clk).decode().split(".")[0])
    except Exception:
        return None


def book_of(cache_book):
    out = {"status": cache_book.status, "inplay": cache_book.inplay, "runners": {}}
    for r in cache_book.runners:
        ex = r.ex
        out["runners"][r.selection_id] = {
            "status": r.status,
            "ltp": r.last_price_traded,
            "back": [(p.price, p.size) for p in ex.available_to_back] if ex else [],
            "lay": [(p.price, p.size) for p in ex.available_to_lay] if ex else [],
        }
    return out


class LockedListener(betfairlightweight.StreamListener):
    """The client's listener, applying each message under a lock so a snapshot never sees half of one
    (the client moves its clk before it updates its caches)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lock = threading.Lock()

    def on_data(self, raw_data):
        with self.lock:
            return super().on_data(raw_data)


class Connection(threading.Thread):
    """One client stream that reconnects like a betfairlightweight user does (resubscribe with clocks)."""

    def __init__(self, client, ready, name, market_ids, orders=False):
        super().__init__(daemon=True)
        self.client, self.ready, self.name = client, ready, name
        self.market_ids, self.orders = market_ids, orders
        self.listener = LockedListener(max_latency=None)
        self.reconnects, self.errors, self.running = 0, [], True
        self.stream = None

    def _subscribe(self):
        stream = self.client.streaming.create_stream(listener=self.listener, timeout=15)
        if self.orders:
            stream.subscribe_to_orders()
        else:
            stream.subscribe_to_markets(
                market_filter=filters.streaming_market_filter(market_ids=self.market_ids),
                market_data_filter=filters.streaming_market_data_filter(
                    fields=["EX_BEST_OFFERS", "EX_TRADED", "EX_TRADED_VOL", "EX_LTP", "EX_MARKET_DEF"],
                    ladder_levels=3,
                ),
                initial_clk=self.listener.initial_clk,
                clk=self.listener.clk,
            )
        self.stream = stream
        return stream

    def run(self):
        while self.running:
            try:
                self._subscribe().start()
            except BetfairError as e:
                if not self.running:
                    return
                self.reconnects += 1
                self.errors.append(type(e).__name__)
                time.sleep(0.2)

    def snapshot(self):
        s = self.listener.stream
        if s is None:
            return None, {}
        with self.listener.lock:
            books = {b.market_id: book_of(b) for b in s.snap()}
            return hub_clk(self.listener.clk or ""), books

    def stop(self):
        self.running = False
        if self.stream:
            self.stream.stop()


def betting(client, books):
    """The betting and account operations, every answer parsed into the client's resources."""
    b = client.betting
    book = next(bk for bk in books if bk.status == "OPEN" and not bk.inplay
                and all(r.ex and r.ex.available_to_back for r in bk.runners))
    runner = book.runners[0]
    best = runner.ex.available_to_back[0].price
    limit = filters.limit_order(price=best, size=2.0, persistence_type="LAPSE")
    ins = filters.place_instruction("LIMIT", runner.selection_id, "BACK", limit_order=limit,
                                    customer_order_ref="bflw-back")
    placed = b.place_orders(book.market_id, [ins], customer_ref="bflw-check-1", customer_strategy_ref="bflw")
    report = placed.place_instruction_reports[0]
    assert placed.status == "SUCCESS" and report.size_matched == 2.0, placed.status
    again = b.place_orders(book.market_id, [ins], customer_ref="bflw-check-1", customer_strategy_ref="bflw")
    assert again.place_instruction_reports[0].bet_id == report.bet_id, "customerRef idempotency"
    rest = filters.place_instruction("LIMIT", runner.selection_id, "LAY",
                                     limit_order=filters.limit_order(price=1.01, size=10.0, persistence_type="PERSIST"),
                                     customer_order_ref="bflw-rest")
    resting = b.place_orders(book.market_id, [rest]).place_instruction_reports[0]
    assert resting.order_status == "EXECUTABLE", resting.order_status
    cancelled = b.cancel_orders(book.market_id, [filters.cancel_instruction(resting.bet_id, size_reduction=4.0)])
    assert cancelled.cancel_instruction_reports[0].size_cancelled == 4.0
    replaced = b.replace_orders(book.market_id, [filters.replace_instruction(resting.bet_id, new_price=1.02)])
    new_bet = replaced.replace_instruction_reports[0].place_instruction_reports.bet_id
    updated = b.update_orders(book.market_id, [filters.update_instruction(new_bet, "LAPSE")])
    assert updated.status == "SUCCESS", updated.status
    current = b.list_current_orders(customer_order_refs=["bflw-back", "bflw-rest"])
    assert {o.bet_id for o in current.orders} == {report.bet_id, new_bet}, "current orders"
    cleared = b.list_cleared_orders(bet_status="CANCELLED", include_item_description=True)
    assert any(o.bet_id == resting.bet_id for o in cleared.orders), "the replaced bet is cleared as CANCELLED"
    runner_books = b.list_runner_book(book.market_id, runner.selection_id,
                                      price_projection=filters.price_projection(price_data=["EX_BEST_OFFERS"]),
                                      order_projection="ALL", match_projection="NO_ROLLUP")
    rb = runner_books[0].runners[0]
    assert rb.orders and rb.matches, "orders and matches on listRunnerBook"
    funds = client.account.get_account_funds()
    assert funds.available_to_bet_balance is not None and funds.exposure <= 0, ("account funds", funds.json())
    client.account.get_account_details()
    return {"placeOrders": 3, "currentOrders": len(current.orders), "clearedCancelled": len(cleared.orders),
            "runnerBookOrders": len(rb.orders), "exposure": funds.exposure}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=40)
    ap.add_argument("--events", type=int, default=4)
    args = ap.parse_args()
    proc, ready = start_simulator(args.events)
    summary = {"catalogue": {}, "stream": {}, "ok": False}
    try:
        # The production hosts are defaults of the client; point it at the simulator.
        BetfairStream.HOSTS.default_factory = lambda: ready["esa"]["host"]
        BetfairStream._BetfairStream__port = ready["esa"]["port"]
        client = betfairlightweight.APIClient(
            ready["identity"]["username"], ready["identity"]["password"], app_key=ready["esa"]["appKey"],
        )
        client.identity_uri = ready["identity"]["url"] + "/"
        client.api_uri = ready["api"]["url"].replace("betting/json-rpc/v1", "")
        client.login_interactive()

        b = client.betting
        summary["catalogue"]["listEventTypes"] = len(b.list_event_types())
        summary["catalogue"]["listCompetitions"] = len(b.list_competitions())
        summary["catalogue"]["listEvents"] = len(b.list_events())
        projections = ["COMPETITION", "EVENT", "EVENT_TYPE", "MARKET_START_TIME", "MARKET_DESCRIPTION",
                       "RUNNER_DESCRIPTION", "RUNNER_METADATA"]
        cats = b.list_market_catalogue(market_projection=projections, max_results=100)
        assert cats and all(c.description and c.description.market_time for c in cats), "descriptions"
        summary["catalogue"]["listMarketCatalogue"] = len(cats)
        for p in projections:  # each projection on its own too
            b.list_market_catalogue(market_projection=[p], max_results=10)
        ids = [c.market_id for c in cats[:5]]
        books = b.list_market_book(
            market_ids=ids,
            price_projection=filters.price_projection(
                price_data=["EX_BEST_OFFERS", "EX_TRADED", "SP_AVAILABLE", "SP_TRADED"],
                ex_best_offers_overrides=filters.ex_best_offers_overrides(best_prices_depth=3),
            ),
        )
        assert books and all(bk.total_available is not None for bk in books), "market books"
        summary["catalogue"]["listMarketBook"] = len(books)

        summary["betting"] = betting(client, books)

        a = Connection(client, ready, "a", ids)
        c = Connection(client, ready, "b", ids)
        o = Connection(client, ready, "orders", ids, orders=True)
        for t in (a, c, o):
            t.start()
        faults = [{"fault": "drop"}, {"fault": "degraded", "on": True}, {"fault": "degraded", "on": False},
                  {"fault": "writeMode", "mode": "split"}, {"fault": "writeMode", "mode": "merge"},
                  {"fault": "clear"}, {"fault": "drop"}]
        compared, mismatches, deadline = 0, [], time.time() + args.seconds
        clocks, levels = set(), 0
        next_fault = time.time() + 3
        while time.time() < deadline:
            if faults and time.time() >= next_fault:
                admin(ready, faults.pop(0))
                next_fault = time.time() + 3
            ca, ba = a.snapshot()
            cb, bb = c.snapshot()
            if ca is not None and ca == cb and ba and bb:
                if ba == bb:
                    compared += 1
                    clocks.add(ca)
                    levels = sum(len(r["back"]) + len(r["lay"]) for m in ba.values() for r in m["runners"].values())
                else:
                    mismatches.append(ca)
            time.sleep(0.05)
        for t in (a, c, o):
            t.stop()
        summary["stream"] = {
            "comparisons": compared, "distinctClocks": len(clocks), "priceLevels": levels,
            "mismatches": len(mismatches),
            "reconnects": {"a": a.reconnects, "b": c.reconnects, "orders": o.reconnects},
            "errors": sorted(set(a.errors + c.errors + o.errors)),
            "orderStreamAlive": o.listener.stream is not None,
        }
        summary["ok"] = len(clocks) > 1 and levels > 0 and not mismatches and o.listener.stream is not None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(json.dumps(summary))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
