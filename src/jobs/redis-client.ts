/** The connections jobs work with: one Redis server (or a Sentinel-watched primary) or a Redis Cluster. */
import type { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;
