import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_PROTO_FIRST_SCRAPE_PROTOCOLS,
  negotiateResponseFormat,
  parseScrapeProtocol,
  parserForContentType,
  scrapeAcceptHeader,
} from './negotiation.js';

void describe('scrapeAcceptHeader', () => {
  void it('sends what Prometheus 3 sends by default', () => {
    assert.equal(
      scrapeAcceptHeader(),
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,' +
        'application/openmetrics-text;version=0.0.1;q=0.5,' +
        'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,' +
        'text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
    );
  });
  void it('puts protobuf first and carries the escaping scheme', () => {
    assert.equal(
      scrapeAcceptHeader(DEFAULT_PROTO_FIRST_SCRAPE_PROTOCOLS, 'underscores'),
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,' +
        'application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.5,' +
        'application/openmetrics-text;version=0.0.1;q=0.4,' +
        'text/plain;version=1.0.0;escaping=underscores;q=0.3,' +
        'text/plain;version=0.0.4;q=0.2,*/*;q=0.1',
    );
  });
  void it('sends a single protocol', () => {
    assert.equal(scrapeAcceptHeader(['PrometheusText0.0.4']), 'text/plain;version=0.0.4;q=0.6,*/*;q=0.5');
  });
});

void describe('parseScrapeProtocol', () => {
  void it('knows the five names and nothing else', () => {
    assert.equal(parseScrapeProtocol('OpenMetricsText1.0.0'), 'OpenMetricsText1.0.0');
    assert.equal(parseScrapeProtocol('PrometheusProto'), 'PrometheusProto');
    assert.equal(parseScrapeProtocol('openmetricstext1.0.0'), undefined);
    assert.equal(parseScrapeProtocol('toString'), undefined);
  });
});

void describe('parserForContentType', () => {
  const cases: [string | undefined, string, string, boolean][] = [
    ['text/plain; version=0.0.4; charset=utf-8', 'text', 'PrometheusText0.0.4', false],
    ['text/plain', 'text', 'PrometheusText0.0.4', false],
    ['text/plain;version=1.0.0;escaping=allow-utf-8', 'text', 'PrometheusText1.0.0', false],
    [
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
      'openmetrics',
      'OpenMetricsText1.0.0',
      false,
    ],
    ['Application/OpenMetrics-Text; version="0.0.1"', 'openmetrics', 'OpenMetricsText0.0.1', false],
    [
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
      'protobuf',
      'PrometheusProto',
      false,
    ],
    [undefined, 'text', 'PrometheusText0.0.4', true],
    ['', 'text', 'PrometheusText0.0.4', true],
    ['application/json', 'text', 'PrometheusText0.0.4', true],
    ['not a type', 'text', 'PrometheusText0.0.4', true],
  ];
  for (const [ct, format, protocol, fallback] of cases) {
    void it(String(ct), () => assert.deepEqual(parserForContentType(ct), { format, protocol, fallback }));
  }
  void it('uses the configured fallback_scrape_protocol', () => {
    assert.deepEqual(parserForContentType('', 'OpenMetricsText1.0.0'), {
      format: 'openmetrics',
      protocol: 'OpenMetricsText1.0.0',
      fallback: true,
    });
  });
  void it('gives nothing without a fallback, as Prometheus 3 fails such a scrape', () => {
    assert.equal(parserForContentType('', null), undefined);
    assert.equal(parserForContentType('text/html', null), undefined);
  });
});

void describe('negotiateResponseFormat', () => {
  const cases: [string | undefined, string, string][] = [
    [
      scrapeAcceptHeader(),
      'OpenMetricsText1.0.0',
      'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8',
    ],
    [
      scrapeAcceptHeader(undefined, 'underscores'),
      'OpenMetricsText1.0.0',
      'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores',
    ],
    [undefined, 'PrometheusText0.0.4', 'text/plain; version=0.0.4; charset=utf-8'],
    ['*/*', 'PrometheusText0.0.4', 'text/plain; version=0.0.4; charset=utf-8'],
    ['application/json', 'PrometheusText0.0.4', 'text/plain; version=0.0.4; charset=utf-8'],
    [
      'text/plain;version=0.0.4;q=0.3,application/openmetrics-text;version=1.0.0;q=0.2',
      'PrometheusText0.0.4',
      'text/plain; version=0.0.4; charset=utf-8',
    ],
    [
      'application/openmetrics-text;version=0.0.1',
      'OpenMetricsText0.0.1',
      'application/openmetrics-text; version=0.0.1; charset=utf-8',
    ],
    [
      'application/openmetrics-text',
      'OpenMetricsText1.0.0',
      'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores',
    ],
    [
      'application/openmetrics-text;version=2.0.0,text/plain;q=0.5',
      'PrometheusText0.0.4',
      'text/plain; version=0.0.4; charset=utf-8',
    ],
    [
      'application/openmetrics-text;q=0,text/plain',
      'PrometheusText0.0.4',
      'text/plain; version=0.0.4; charset=utf-8',
    ],
    [
      'text/plain;version=1.0.0;escaping=dots',
      'PrometheusText1.0.0',
      'text/plain; version=1.0.0; charset=utf-8; escaping=dots',
    ],
    [
      'text/plain;version=1.0.0;escaping=bogus',
      'PrometheusText1.0.0',
      'text/plain; version=1.0.0; charset=utf-8; escaping=underscores',
    ],
    [
      'text/*;q=0.9, text/plain;version=0.0.4;q=0.9',
      'PrometheusText0.0.4',
      'text/plain; version=0.0.4; charset=utf-8',
    ],
  ];
  for (const [accept, protocol, contentType] of cases) {
    void it(String(accept), () => {
      const got = negotiateResponseFormat(accept);
      assert.equal(got.protocol, protocol);
      assert.equal(got.contentType, contentType);
    });
  }
  void it('escapes names for the 0.0.x formats, which cannot quote them', () => {
    assert.equal(
      negotiateResponseFormat('text/plain;version=0.0.4;escaping=allow-utf-8').escaping,
      'underscores',
    );
    assert.equal(negotiateResponseFormat('text/plain;version=0.0.4;escaping=values').escaping, 'values');
    assert.equal(negotiateResponseFormat(scrapeAcceptHeader()).escaping, 'allow-utf-8');
  });
  void it('does not choose OpenMetrics when it is turned off', () => {
    assert.equal(
      negotiateResponseFormat(scrapeAcceptHeader(), { openMetrics: false }).protocol,
      'PrometheusText1.0.0',
    );
  });
});
