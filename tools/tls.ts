// A throwaway certificate authority and a server certificate signed by it, made by `openssl` in a
// temporary folder: for a sandbox that serves HTTPS (startSandbox's `tls`, the benchmark's TLS
// figures; 127.0.0.1 and localhost) and for the loopback stand-in for registry.npmjs.org
// (LocalRegistry.standInForNpmjs). A client trusts the CA through NODE_EXTRA_CA_CERTS (which Node
// reads at start-up only, so it is set on a child process), an explicit `ca`, or npm's `cafile`.
// ECDSA P-256, what most public TLS certificates use today. Nothing here is a secret worth
// keeping: remove() deletes it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ThrowawayTls {
	/** PEM file of the CA certificate, for NODE_EXTRA_CA_CERTS. */
	caFile: string;
	/** PEM files of the server's key and certificate, for the names it was made for. */
	keyFile: string;
	certFile: string;
	remove(): void;
}

/** `hosts`: the names the server certificate is valid for (IP addresses or DNS names). */
export function makeThrowawayTls(hosts: string[] = ['127.0.0.1', 'localhost']): ThrowawayTls {
	const subjectAltName = hosts.map((host) => (/^[\d.]+$/.test(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tgo-tls-'));
	const file = (name: string) => path.join(directory, name);
	const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
	try {
		openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=TGO tests throwaway CA',
			'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
		openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hosts[0]}`);
		fs.writeFileSync(file('server.ext'), `subjectAltName=${subjectAltName}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
		openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
	} catch (error) {
		fs.rmSync(directory, { recursive: true, force: true });
		const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
		throw new Error(`could not make throwaway TLS certificates with openssl${stderr ? `: ${stderr}` : ''}`);
	}
	return {
		caFile: file('ca.pem'),
		keyFile: file('server.key'),
		certFile: file('server.pem'),
		remove: () => fs.rmSync(directory, { recursive: true, force: true }),
	};
}
