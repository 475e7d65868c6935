import { runServer } from './server.ts';

// The server from its sources (npm run dev:server, the API tests' server processes). The built
// server (`dist/server/main.js`) starts the same function from src/server/boot/.
await runServer();
