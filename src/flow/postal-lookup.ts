/**
 * GET /address/postal?code=… — the postal-code lookup of the address forms, for their script
 * (templates/assets/site.js), which fills the address in without a reload. The same lookup as the
 * form's LOOKUP_POSTAL_CODE event (`fillFromPostalCode`), the same coded messages.
 *
 * Not a flow page: it neither reads nor writes a session and sets no cookie, so it cannot move or
 * refresh anyone's flow. The code travels in the query string, which the logs drop (a postal code
 * tells where someone lives).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { fillFromPostalCode } from '../domain/address.ts';
import { errorMessage } from '../i18n/errors.ts';
import { addressName } from './loaders.ts';

/** What the script gets: the address to show and the values to set, or the field's coded message. */
type PostalAnswer =
  | { municipalityCode: string; address: string; town: string }
  | { error: { code: string; message: string } };

/** Malformed, not listed, or spanning several municipalities. */
const statusOf = { WZBAM110E: 400, WZBAM111E: 404, WZBAM112E: 409 } as const;

async function postalLookup(app: FastifyInstance) {
  app.get('/address/postal', async (request, reply) => {
    const { code } = request.query as { code?: unknown };
    const fill = fillFromPostalCode(typeof code === 'string' ? code : '');
    // the answer depends on the page language, which the `lang` cookie carries
    reply.header('cache-control', 'private, max-age=3600').header('vary', 'cookie');
    const answer: PostalAnswer = fill.ok
      ? {
          municipalityCode: fill.municipalityCode,
          address: addressName(fill.municipalityCode, request.lang),
          town: fill.townJa,
        }
      : { error: { code: fill.code, message: errorMessage(fill.code, request.lang) } };
    return reply.code(fill.ok ? 200 : statusOf[fill.code]).send(answer);
  });
}

export default fp(postalLookup, { name: 'postal-lookup', dependencies: ['i18n'] });
