#!/usr/bin/env node
/**
 * iommu-stress command line. Every command checks all of its input before it
 * starts a worker (flags, config files, user modules, output paths): bad
 * input exits 2 with a message naming the value and what is allowed, and
 * writes nothing.
 */
import { Command } from 'commander';
export declare function buildProgram(): Command;
export declare function main(argv: string[]): Promise<number>;
