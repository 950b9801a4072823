/**
 * `proofdesk keys generate`: an issuer (or, with --root, a root) signing key pair as JWK files (private 0600, public
 * for key sets), each marked with its role so the trust commands and `issue` can refuse a key in the wrong place.
 */
import { type Command, Option } from 'commander';
import { generateIssuerKey, writeKeyPair, ISSUER_ALGS, type IssuerAlg } from '../issue/keys.js';

export interface GenerateOptions {
  alg: IssuerAlg;
  kid?: string;
  out: string;
  force?: boolean;
  root?: boolean;
}

export function register(program: Command): void {
  const keys = program.command('keys').description('issuer signing keys');
  keys
    .command('generate')
    .description('generate a signing key pair: PREFIX.private.jwk (mode 0600, keep secret) and PREFIX.public.jwk')
    .addOption(new Option('--alg <alg>', 'signature algorithm').choices([...ISSUER_ALGS]).default('EdDSA'))
    .option('--kid <kid>', 'key id carried in every code (default: first 11 characters of the RFC 7638 thumbprint)')
    .requiredOption('--out <prefix>', 'file name prefix, e.g. keys/issuer-2026')
    .option('--force', 'replace existing files')
    .option(
      '--root',
      'a ROOT key pair: signs trust bundles only (proofdesk trust build); pin PREFIX.public.jwk with proofdesk trust init. Both files are marked "proofdesk_role": "root" (else "issuer")',
    )
    .action(generate);
}

async function generate(opts: GenerateOptions): Promise<void> {
  const pair = await generateIssuerKey(opts.alg, opts.kid, opts.root ? 'root' : 'issuer');
  const { privatePath, publicPath } = await writeKeyPair(opts.out, pair, opts.force === true);
  if (opts.root) {
    process.stdout.write(
      `root key ${pair.kid} (${pair.alg})\nprivate key: ${privatePath} (mode 0600; keep it offline: it signs every trust bundle)\npublic key:  ${publicPath} (pin it on each kiosk: proofdesk trust init --root ${publicPath})\n`,
    );
    return;
  }
  process.stdout.write(
    `kid ${pair.kid} (${pair.alg})\nprivate key: ${privatePath} (mode 0600; keep it secret)\npublic key:  ${publicPath}\n`,
  );
}
