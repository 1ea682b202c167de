// A TCP proxy for fault tests: forwards to a target, and can drop every connection and refuse
// new ones for a while (its listener closed: connects get ECONNREFUSED), as a lost database
// host or a restarting server does, or accept connections and never answer (a host that has
// gone silent: packets dropped, no reset).
import net from 'node:net';

export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** Connections accepted since start (each outage adds the pool's reconnects). */
  accepted = 0;
  /** While true, accepted connections are held open and nothing is forwarded. */
  silent = false;

  constructor(
    private readonly target: { host: string; port: number },
  ) {}

  async start(port = 0): Promise<void> {
    const server = net.createServer((client) => {
      this.accepted++;
      if (this.silent) {
        this.sockets.add(client);
        client.on('error', () => {}).on('close', () => this.sockets.delete(client));
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', drop).on('close', drop);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** Drops every connection and refuses new ones (until restore()). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  /** Drops every connection; new ones are accepted and held, unanswered (until restore()). */
  async silence(): Promise<void> {
    await this.cut();
    this.silent = true;
    await this.start(this.port);
  }

  /** Accepts and forwards again, on the same port. */
  async restore(): Promise<void> {
    if (this.server) await this.cut();
    this.silent = false;
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
