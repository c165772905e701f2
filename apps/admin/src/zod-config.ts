import { z } from 'zod';

// zod tries `new Function('')` once to see whether it may compile fast parsers; under the pages' content security
// policy (no 'unsafe-eval', scripts/src/h5-headers.ts) that try is a reported violation, and the mini-program allows
// no eval either. Parse without it. app.ts imports this module first.
z.config({ jitless: true });
