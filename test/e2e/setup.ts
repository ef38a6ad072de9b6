/**
 * Browser steps wait for real media over real sockets: generous timeouts. The
 * tests assert their own, tighter bounds (10 s to play, 5 s for a tile to go…).
 */
jest.setTimeout(90_000)
