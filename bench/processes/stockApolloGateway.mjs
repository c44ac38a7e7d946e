// Bench process: what a team would run instead. Stock @apollo/gateway on
// @apollo/server with default settings (its default RemoteGraphQLDataSource
// and fetcher), serving the same supergraph file. It enforces no
// authorization; it sends the subgraphs the signed identity the harness gave
// it (SUBGRAPH_IDENTITY), one header set per fetch. Plain JavaScript, so it
// runs under plain Node as ours does from dist/.
import { readFileSync } from 'node:fs';
import process from 'node:process';

import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const identity = process.env.SUBGRAPH_IDENTITY ?? '';
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? '', 'utf8'),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request }) {
        request.http?.headers.set('x-consumer-identity', identity);
      },
    }),
});
const server = new ApolloServer({ gateway });
await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT), host: '127.0.0.1' },
});
