import { HandlerError } from '@cairn/contracts';

/** The errors every service answers with, worded alike. */
export const errors = {
  notFound: (what: string, id: string) => new HandlerError('not-found', `no ${what} with id ${id}`),
  nameTaken: (what: string, name: string) =>
    new HandlerError('conflict', `a ${what} named "${name}" already exists`, 'name'),
  unknownReference: (field: string, what: string, id: string) =>
    new HandlerError('bad-request', `no ${what} with id ${id}`, field),
};
