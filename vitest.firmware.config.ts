import { defineConfig } from 'vitest/config';

/** The firmware tests that run the built firmware (ARM ELF in QEMU, posix port): `npm run firmware:test`. */
export default defineConfig({
  test: {
    include: ['test/bridge/qemu-boot.test.ts', 'test/bridge/posix-port.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
