// Node.js flags of every production server process (npm start, the benchmarks; `npm run serve` and
// the Dockerfile's NODE_OPTIONS repeat them, as JSON and Dockerfiles cannot import).
// A larger young generation: an API call allocates ~100 KB that dies at once (rows, JSON), and with
// V8's default 16 MB semi-space the scavenger ran ~10 % of the time under load; with 32 MB the
// list endpoints serve ~20 % more per second for ~50 MB more memory (docs/decisions/023).
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];
