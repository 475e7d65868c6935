import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { contractValidators } from './scripts/contract-validators.ts';

/**
 * Packages the server bundle leaves to node_modules: native addons (a .node file
 * found at run time next to the package) cannot be bundled.
 */
const SERVER_EXTERNAL = ['better-sqlite3', '@node-rs/argon2'];

/** Every .js file under dist/server is CommonJS, which V8's code cache can be used with (src/server/boot/). */
const commonJsPackage = (): Plugin => ({
  name: 'commonjs-package',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'package.json', source: '{ "type": "commonjs" }\n' });
  },
});

// The client builds to dist/client; `vite build --ssr` builds the server to dist/server, with its pure-JS
// dependencies bundled in: one file to read at start instead of a thousand (docs/reference.md#server-start).
// `main.js` is the entry; it runs `server.js` from the code cache scripts/server-code-cache.ts writes.
export default defineConfig(({ isSsrBuild }) => ({
  plugins: isSsrBuild ? [commonJsPackage()] : [react(), contractValidators()],
  build: isSsrBuild
    ? {
        target: 'node20',
        sourcemap: true,
        // Minified: half the bytes to read and compile at every start, and less memory (docs/reference.md#server-start).
        // `node --enable-source-maps dist/server/main.js` maps a stack trace back to the sources.
        minify: true,
        rollupOptions: {
          input: { main: 'src/server/boot/main.ts', server: 'src/server/server.ts' },
          output: {
            format: 'cjs',
            entryFileNames: '[name].js',
            chunkFileNames: 'assets/[name]-[hash].js',
            // Escaped, the few non-ASCII characters leave the bundle ASCII: node reads it without
            // decoding UTF-8, and V8 keeps its source one byte a character instead of two.
            charset: 'ascii',
            // `import()` of a package left in node_modules becomes `require`: a script compiled from a
            // code cache loses the callback node needs for `import()` (src/server/boot/code-cache.ts).
            dynamicImportInCjs: false,
          },
        },
      }
    : {
        outDir: 'dist/client',
        emptyOutDir: true,
        target: 'es2022',
        sourcemap: true,
        rollupOptions: {
          output: {
            codeSplitting: {
              includeDependenciesRecursively: false,
              groups: [
                // The small modules most pages share (components, hooks, the API client with its
                // checks, and the contract every page calls) in one chunk: as twenty files each
                // gzipped alone they cost 6 kB more. The password strength meter stays out (it brings
                // the password rules and their texts, which only password pages need), and so do the
                // verify forms, which come with the sign-in page or the re-verification dialog.
                // The libraries every page starts with (React, the router, i18next) in one file: left to
                // the bundler they came in four or five, each compressed alone, as lazily loaded modules
                // importing one of them (i18next, React's JSX runtime) split them apart.
                {
                  name: 'vendor',
                  test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|i18next|react-i18next|use-sync-external-store)[\\/]/,
                },
                {
                  name: 'app',
                  test: /[\\/]src[\\/](client[\\/](components(?![\\/](password[\\/]|methods[\\/](ReauthDialog|VerifyWithMethod|MethodOptionLabel)|RecoveryCodeForm|CodeInput))|hooks|api)[\\/]|shared[\\/](endpoint|errors|api[\\/](common|session|security-info))\.ts$)/,
                },
              ],
            },
          },
          onwarn(warning, warn) {
            // A name the generated contract modules leave out (scripts/contract-validators.ts) fails the build.
            if (warning.code === 'IMPORT_IS_UNDEFINED' || warning.code === 'MISSING_EXPORT') throw new Error(warning.message);
            warn(warning);
          },
        },
      },
  ssr: { noExternal: true, external: SERVER_EXTERNAL },
  server: {
    port: 5173,
    // In development the API runs on :8080 (npm run dev:server); Vite forwards to it.
    proxy: { '/api': 'http://localhost:8080' },
  },
}));
