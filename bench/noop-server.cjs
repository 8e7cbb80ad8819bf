// The baseline: a node:http server that reads each request's body and answers `{}`.
require('node:http')
  .createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  })
  .listen(0, '127.0.0.1', function listening() {
    console.log(`URL http://127.0.0.1:${this.address().port}`);
  });
