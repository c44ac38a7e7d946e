import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

// RFC 3339 date-time with a mandatory offset, as the GraphQL Scalars spec
// (scalars.graphql.org/andimarek/date-time) requires.
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function isValidDate(text: string): boolean {
  if (Number.isNaN(Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text))) return false;
  // Date.parse rolls an impossible day over (2025-02-30 becomes March 2), so
  // check that the calendar date survives the round trip.
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function stringScalar(name: string, description: string, pattern: RegExp, example: string) {
  const check = (value: unknown): string => {
    // An invalid Date (new Date(NaN)) has no text; it fails the check below.
    const text =
      value instanceof Date ? (Number.isNaN(value.getTime()) ? undefined : toText(value)) : value;
    if (typeof text !== 'string' || !pattern.test(text) || !isValidDate(text)) {
      throw new GraphQLError(`${name} must look like ${example}; got ${JSON.stringify(value)}.`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return text;
  };
  const toText = (date: Date) =>
    name === 'Date' ? date.toISOString().slice(0, 10) : date.toISOString();
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral(ast) {
      if (ast.kind !== Kind.STRING) {
        throw new GraphQLError(`${name} must be a string like ${example}.`, {
          nodes: ast,
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      return check(ast.value);
    },
  });
}

export const DateTimeScalar = stringScalar(
  'DateTime',
  'An instant, RFC 3339 with offset: 2025-03-14T09:26:53Z.',
  dateTimePattern,
  '2025-03-14T09:26:53Z',
);

export const DateScalar = stringScalar(
  'Date',
  'A calendar date, ISO 8601: 2025-03-14.',
  datePattern,
  '2025-03-14',
);
