export function buildAll(options?: { quiet?: boolean }): Promise<void>;
export function buildCniSend(options?: { quiet?: boolean }): void;
