import { Transform, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsIP,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';

import { IsApiKeys } from './api-keys.config';
import { Secret } from './env.config';
import { DEFAULT_MAIL_FROM, IsMailFrom, IsSmtpUrl, MailSettings } from './mail.config';

const splitList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : value;

/** Environment of an event-sourced service (contacts, pipeline). */
export class ServiceEnv {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT!: number;

  /** Interface to listen on; loopback unless a deployment says otherwise. */
  @IsIP()
  HOST = '127.0.0.1';

  @Secret()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Transform(splitList)
  @IsArray()
  @ArrayNotEmpty({ message: 'must list at least one host:port' })
  @Matches(/^[^\s,]+:\d{1,5}$/, { each: true, message: 'must be a comma list of host:port' })
  KAFKA_BROKERS!: string[];

  @IsOptional()
  @IsString()
  KAFKA_CLIENT_ID?: string;
}

/** Environment of the gateway. */
export class GatewayEnv {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT!: number;

  @IsIP()
  HOST = '127.0.0.1';

  @Matches(/^https?:\/\//, { message: 'must be an http(s) URL' })
  CONTACTS_URL!: string;

  @Matches(/^https?:\/\//, { message: 'must be an http(s) URL' })
  PIPELINE_URL!: string;

  @Matches(/^https?:\/\//, { message: 'must be an http(s) URL' })
  ACTIVITIES_URL!: string;

  @Matches(/^https?:\/\//, { message: 'must be an http(s) URL' })
  AUTOMATION_URL!: string;

  @Matches(/^https?:\/\//, { message: 'must be an http(s) URL' })
  REPORTING_URL!: string;

  /** `key=tenant[:name],key2=tenant2` */
  @Secret()
  @IsApiKeys()
  RELATE_API_KEYS!: string;
}

/**
 * Environment of the automation service: a service's, plus where it sends mail. Without
 * `SMTP_URL` the service sends no mail.
 */
export class AutomationEnv extends ServiceEnv {
  /** `smtp://[user:pass@]host:port` or `smtps://...`; holds credentials: never printed. */
  @Secret()
  @IsOptional()
  @IsSmtpUrl()
  SMTP_URL?: string;

  /** The sender of every mail: `name@host` or `Name <name@host>`. */
  @IsMailFrom()
  MAIL_FROM = DEFAULT_MAIL_FROM;
}

/** The mail settings of an automation environment; undefined when it has no `SMTP_URL`. */
export function mailSettingsOf(env: AutomationEnv): MailSettings | undefined {
  return env.SMTP_URL ? { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM.trim() } : undefined;
}
