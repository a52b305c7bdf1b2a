// Ingest tokens as people manage them: create (the secret is returned once and only its hash is
// kept), list (never the secret), revoke. Revoked rows stay, so the audit trail and "last used" keep
// their meaning; a new token may take a revoked token's name.
import type { Db } from '../db/database.js';
import type { SecretBox } from '../security/secretBox.js';
import { parsed, refused, type ParseResult } from '../alerts/parseResult.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { displayPrefix, generateIngestToken, generateSigningSecret, hashIngestToken } from './ingestTokens.js';

const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

export function validateTokenName(name: string): ParseResult<string> {
  if (TOKEN_NAME.test(name)) return parsed(name);
  return refused(`"${name}" is not a token name: use up to 40 letters, digits, dots, dashes or underscores, such as prometheus`);
}

export interface NewToken {
  name: string;
  /** The token itself: shown once, never stored. */
  token: string;
  /** The signing secret of a `--signed` token: shown once, stored encrypted. */
  signingSecret: string | null;
  allowedNetworks: string[];
  /** Whether Silence buttons on its alerts also create the silence in the Alertmanager that sent them. */
  silenceWriteBack: boolean;
}

export class TokenNameTaken extends Error {
  constructor(name: string) {
    super(`a token named ${name} already exists`);
    this.name = 'TokenNameTaken';
  }
}

export async function createIngestToken(
  db: Db,
  box: SecretBox,
  actor: Actor,
  request: { name: string; signed: boolean; allowedNetworks: string[]; silenceWriteBack: boolean },
): Promise<NewToken> {
  const { name, signed, allowedNetworks, silenceWriteBack } = request;
  const token = generateIngestToken();
  const signingSecret = signed ? generateSigningSecret() : null;
  // A revoked token's row holds on to its name (unique per installation); the new token takes it over.
  await db.ingestToken.deleteMany({ where: { installationId: actor.installationId, name, revokedAt: { not: null } } });
  try {
    await db.ingestToken.create({
      data: {
        installationId: actor.installationId,
        name,
        tokenHash: hashIngestToken(token),
        prefix: displayPrefix(token),
        signingSecret: signingSecret === null ? null : box.seal(signingSecret),
        allowedNetworks: allowedNetworks.join(','),
        createdBy: actor.userId,
        silenceWriteBack,
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw new TokenNameTaken(name);
    throw error;
  }
  const options = [signed ? 'signed' : '', allowedNetworks.length ? `from ${allowedNetworks.join(',')}` : '', silenceWriteBack ? 'silence write-back' : ''].filter(Boolean);
  await recordAudit(db, actor, 'token.create', `${name} (${displayPrefix(token)})${options.length ? `, ${options.join(', ')}` : ''}`);
  return { name, token, signingSecret, allowedNetworks, silenceWriteBack };
}

/** Tokens in use, oldest first. */
export function listIngestTokens(db: Db, installationId: string) {
  return db.ingestToken.findMany({
    where: { installationId, revokedAt: null },
    orderBy: { createdAt: 'asc' },
    select: { id: true, name: true, prefix: true, createdBy: true, createdAt: true, lastUsedAt: true, signingSecret: true, allowedNetworks: true, silenceWriteBack: true },
  });
}

/** Revokes the token named `name`; false when there is no such token in use. */
export async function revokeIngestToken(db: Db, actor: Actor, name: string, now: Date): Promise<boolean> {
  const { count } = await db.ingestToken.updateMany({ where: { installationId: actor.installationId, name, revokedAt: null }, data: { revokedAt: now } });
  if (count === 0) return false;
  await recordAudit(db, actor, 'token.revoke', name);
  return true;
}
