// The production entry (`node dist/main.js`; `npm start` runs it): production mode unless
// NODE_ENV says otherwise, set before any library loads — graphql-js chooses its instanceOf
// once, at import, and its development variant (a Symbol.toStringTag check on every miss) cost
// ~5 % of the dashboard page's CPU.
process.env.NODE_ENV ??= 'production';
// The server as one bundled module (scripts/bundle.mjs, run by `npm run build`): a faster
// start than loading dist/src/main.js and its libraries module by module. A variable keeps
// TypeScript from resolving a file that only exists after the build.
const server = './bundle/main.mjs';
await import(server);
