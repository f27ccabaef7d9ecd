/*
 * The simulated betting site's Vue 3 app (global build, templates compiled in the browser).
 * Login page with a Demo button and a username/password form; a home page whose store is written to
 * localStorage on a timer, as the real site's is; match pages rendering Match Odds, BookMaker and Fancy.
 * Settings come from window.__SITE__ (refresh intervals, market section class names).
 */
(function () {
  'use strict';
  var Vue = window.Vue;
  var SITE = window.__SITE__ || { refreshMs: 2000, matchRefreshMs: 1000, classes: {} };
  var KEYS = {
    token: 'token',
    sports: 'sportsList',
    events: 'eventsList',
    casino: 'casinoList',
    openBets: 'openBets',
    stakes: 'stakeSettings',
    userInfo: 'userInfo',
    tokens: 'authTokens',
    lastSync: 'lastSync',
  };

  function fmtSize(n) {
    if (n < 1000) return String(Math.round(n));
    if (n < 1e6) return (Math.round(n / 100) / 10).toString().replace(/\.0$/, '') + 'k';
    return (Math.round(n / 1e5) / 10).toString().replace(/\.0$/, '') + 'm';
  }
  function fmtOdds(n, type) {
    return type === 'MATCH_ODDS' ? n.toFixed(2) : String(n);
  }

  var route = Vue.reactive({ path: location.pathname, token: localStorage.getItem(KEYS.token) });
  function setToken(token) {
    if (token) localStorage.setItem(KEYS.token, token);
    else localStorage.removeItem(KEYS.token);
    route.token = token;
  }
  function go(path) {
    history.pushState({}, '', path);
    route.path = path;
  }
  window.addEventListener('popstate', function () {
    route.path = location.pathname;
  });

  function api(path, opts) {
    opts = opts || {};
    var headers = { 'content-type': 'application/json' };
    var token = localStorage.getItem(KEYS.token);
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(path, { method: opts.method || 'GET', headers: headers, body: opts.body }).then(
      function (r) {
        if (r.status === 401 && !opts.login) {
          setToken(null);
          go('/login');
          throw new Error('unauthorized');
        }
        return r.json();
      },
    );
  }

  var LoginPage = {
    template:
      '<div class="login-page">' +
      '<h1>Silver Exchange</h1>' +
      '<form class="login-form" @submit.prevent="login">' +
      '<input name="username" v-model="username" placeholder="Username" autocomplete="username">' +
      '<input name="password" type="password" v-model="password" placeholder="Password">' +
      '<button type="submit" class="btn-login">Login</button>' +
      '</form>' +
      '<button type="button" class="btn-demo" @click="demo">Demo</button>' +
      '<p class="login-error" v-if="error">{{ error }}</p>' +
      '</div>',
    data: function () {
      return { username: '', password: '', error: '' };
    },
    methods: {
      done: function (res) {
        if (!res.success) {
          this.error = res.message || 'Login failed';
          return;
        }
        setToken(res.token);
        go('/');
      },
      demo: function () {
        api('/api/v1/auth/demo', { method: 'POST', login: true }).then(this.done);
      },
      login: function () {
        var body = JSON.stringify({ username: this.username, password: this.password });
        api('/api/v1/auth/login', { method: 'POST', body: body, login: true }).then(
          this.done,
          function () {},
        );
      },
    },
  };

  var HomePage = {
    template:
      '<div class="home-page" :data-synced="synced">' +
      '<div class="event-list">' +
      '<a v-for="e in events" :key="e.gmid" class="event-row" :href="\'/match/\' + e.etid + \'/\' + e.gmid"' +
      ' @click.prevent="open(e)">' +
      '<span class="event-name">{{ e.ename }}</span> <span class="inplay" v-if="e.iplay">In-Play</span>' +
      '</a></div></div>',
    data: function () {
      return { events: [], synced: 0, timer: null };
    },
    mounted: function () {
      this.refresh();
      this.timer = setInterval(this.refresh, SITE.refreshMs);
    },
    unmounted: function () {
      clearInterval(this.timer);
    },
    methods: {
      refresh: function () {
        var self = this;
        api('/api/v1/home').then(
          function (d) {
            localStorage.setItem(KEYS.sports, JSON.stringify({ data: d.sports }));
            localStorage.setItem(KEYS.events, JSON.stringify({ data: d.events }));
            localStorage.setItem(KEYS.casino, JSON.stringify({ categories: d.casino }));
            localStorage.setItem(KEYS.openBets, JSON.stringify(d.openBets));
            localStorage.setItem(KEYS.stakes, JSON.stringify(d.stakes));
            localStorage.setItem(KEYS.userInfo, JSON.stringify(d.userInfo));
            localStorage.setItem(KEYS.tokens, JSON.stringify(d.tokens));
            localStorage.setItem(KEYS.lastSync, String(Date.now()));
            self.events = d.events;
            self.synced++;
          },
          function () {},
        );
      },
      open: function (e) {
        go('/match/' + e.etid + '/' + e.gmid);
      },
    },
  };

  var MarketBlock = {
    props: ['m', 'cls', 'fancy'],
    template:
      '<div class="market-block" :class="[cls, { \'market-suspended\': m.status !== \'OPEN\' }]" :data-mid="m.mid">' +
      '<div class="market-head"><span class="market-name">{{ m.mname }}</span>' +
      '<span class="stake-limits">Min: <b class="min-stake">{{ size(m.min) }}</b>' +
      ' Max: <b class="max-stake">{{ size(m.max) }}</b></span></div>' +
      '<div v-for="r in m.runners" :key="r.sid" class="runner-row"' +
      ' :class="{ suspended: r.status !== \'ACTIVE\' || m.status !== \'OPEN\' }" :data-sid="r.sid">' +
      '<span class="runner-name">{{ r.nat }}</span>' +
      '<div class="prices">' +
      '<div v-for="(p, i) in r.back" :key="\'b\' + i" class="back-box"><span class="odds">{{ odds(p.odds) }}</span>' +
      '<span class="vol">{{ size(p.size) }}</span></div>' +
      '<div v-for="(p, i) in r.lay" :key="\'l\' + i" class="lay-box"><span class="odds">{{ odds(p.odds) }}</span>' +
      '<span class="vol">{{ size(p.size) }}</span></div>' +
      '</div>' +
      '<div class="suspended-overlay" v-if="r.status !== \'ACTIVE\' || m.status !== \'OPEN\'">SUSPENDED</div>' +
      '</div></div>',
    methods: {
      size: fmtSize,
      odds: function (n) {
        return fmtOdds(n, this.m.mtype);
      },
    },
  };

  var MatchPage = {
    props: ['gmid'],
    components: { MarketBlock: MarketBlock },
    template:
      '<div class="match-page">' +
      '<div v-if="event" class="match-detail" :data-gmid="event.gmid" data-loaded="1">' +
      '<h2 class="match-title">{{ event.ename }}</h2>' +
      '<market-block v-for="m in markets.matchOdds" :key="m.mid" :m="m" :cls="cls.matchOdds"></market-block>' +
      '<market-block v-for="m in markets.bookmaker" :key="m.mid" :m="m" :cls="cls.bookmaker"></market-block>' +
      '<div class="fancy-section" v-if="markets.fancy.length">' +
      '<market-block v-for="m in markets.fancy" :key="m.mid" :m="m" :cls="cls.fancy"></market-block>' +
      '</div></div>' +
      '<div v-else-if="missing" class="match-missing">Match not found</div>' +
      '<div v-else class="loading">Loading…</div>' +
      '</div>',
    data: function () {
      return { event: null, markets: null, missing: false, timer: null, cls: SITE.classes };
    },
    mounted: function () {
      this.load();
      this.timer = setInterval(this.load, SITE.matchRefreshMs);
    },
    unmounted: function () {
      clearInterval(this.timer);
    },
    methods: {
      load: function () {
        var self = this;
        fetch('/api/v1/match/' + this.gmid, {
          headers: { authorization: 'Bearer ' + localStorage.getItem(KEYS.token) },
        })
          .then(function (r) {
            if (r.status === 401) {
              setToken(null);
              go('/login');
              return null;
            }
            if (r.status === 404) self.missing = true;
            return r.ok ? r.json() : null;
          })
          .then(
            function (d) {
              if (!d) return;
              self.markets = d.markets;
              self.event = d.event;
            },
            function () {},
          );
      },
    },
  };

  var App = {
    components: { LoginPage: LoginPage, HomePage: HomePage, MatchPage: MatchPage },
    template:
      '<div class="site">' +
      '<header class="topbar"><a href="/" @click.prevent="home">Silver Exchange</a></header>' +
      '<login-page v-if="view === \'login\'"></login-page>' +
      '<match-page v-else-if="view === \'match\'" :gmid="gmid" :key="gmid"></match-page>' +
      '<home-page v-else></home-page>' +
      '</div>',
    computed: {
      view: function () {
        if (!route.token || route.path === '/login') return 'login';
        return /^\/match\/\d+\/\d+/.test(route.path) ? 'match' : 'home';
      },
      gmid: function () {
        var m = /^\/match\/\d+\/(\d+)/.exec(route.path);
        return m ? m[1] : null;
      },
    },
    methods: {
      home: function () {
        go('/');
      },
    },
  };

  if (route.path === '/login' && route.token) go('/');
  Vue.createApp(App).mount('#app');
})();
