// The production entry (`node dist/main.js`; `npm start` runs it): production mode unless
// NODE_ENV says otherwise, set before any library loads — graphql-js chooses its instanceOf
// once, at import, and its development variant (a Symbol.toStringTag check on every miss) cost
// ~5 % of the dashboard page's CPU.
process.env.NODE_ENV ??= 'production';
await import('./src/main.js');
