// A real SMTP server for the tests: smtp-server (RFC 5321, with STARTTLS off and AUTH optional) on 127.0.0.1, and a
// tiny HTTP endpoint on 127.0.0.1 that lists what it received, parsed by mailparser:
//   GET    /mails   -> [{id, from, to: [..], subject, text, receivedAt}]
//   DELETE /mails   -> empties the list
// Usage: node server.mjs --smtp-port N --http-port M. Prints "smtp-server ready <smtp> <http>" once both listen.
// Exits when its standard input closes (the test host that started it died or is done).
import http from 'node:http';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const smtpPort = arg('--smtp-port', 2525);
const httpPort = arg('--http-port', 2580);
const mails = [];
let next = 1;

const smtp = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  allowInsecureAuth: true, // loopback only; lets the tests exercise Mail:Username/Password without TLS
  // Any user and password: the service's Mail:Username/Password path is exercised, nothing is protected here.
  onAuth(auth, session, callback) { callback(null, { user: auth.username }); },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        mails.push({
          id: next++,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          user: session.user ?? null,
          receivedAt: new Date().toISOString(),
        });
        callback();
      })
      .catch((err) => callback(err));
  },
  logger: false,
});

const api = http.createServer((req, res) => {
  if (req.url === '/mails' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(mails));
  } else if (req.url === '/mails' && req.method === 'DELETE') {
    mails.length = 0;
    res.writeHead(204);
    res.end();
  } else {
    res.writeHead(404);
    res.end();
  }
});

let listening = 0;
const ready = () => {
  if (++listening === 2) console.log(`smtp-server ready ${smtpPort} ${httpPort}`);
};
smtp.listen(smtpPort, '127.0.0.1', ready);
api.listen(httpPort, '127.0.0.1', ready);
smtp.on('error', (err) => { console.error(err); process.exit(1); });

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
