import { wsFlvUrlOf } from '../../../src/platform/h5/urls'

describe('wsFlvUrlOf: the WS-FLV URL of a signed HTTP-FLV play URL', () => {
  test.each([
    ['http → ws, query kept', 'http://127.0.0.1:8000/live/m1_p2_ab.flv?txSecret=abc&txTime=5C271099', 'ws://127.0.0.1:8000/live/m1_p2_ab.flv?txSecret=abc&txTime=5C271099'],
    ['https → wss', 'https://play.example.com/live/s.flv?txSecret=a&txTime=B', 'wss://play.example.com/live/s.flv?txSecret=a&txTime=B'],
    ['upper-case scheme', 'HTTP://h:1/live/s.flv', 'ws://h:1/live/s.flv'],
    ['ws stays', 'ws://h:1/live/s.flv?x=1', 'ws://h:1/live/s.flv?x=1'],
    ['wss stays', 'wss://h/live/s.flv', 'wss://h/live/s.flv'],
    ['surrounding spaces trimmed', '  http://h/live/s.flv  ', 'ws://h/live/s.flv'],
    ['IPv6 host', 'http://[::1]:8000/live/s.flv?a=b', 'ws://[::1]:8000/live/s.flv?a=b'],
  ])('%s', (_name, input, expected) => {
    expect(wsFlvUrlOf(input)).toBe(expected)
  })

  test.each([['rtmp://h/live/s'], [''], ['not a url'], ['http://'], ['file:///live/s.flv']])('%j cannot be played in a browser → null', (input) => {
    expect(wsFlvUrlOf(input)).toBeNull()
  })
})
