import { DynamicModule, Module } from '@nestjs/common';
import { Pool } from 'pg';

import { PlatformModule, ServiceSettings } from '@relate/service-kit';

import { CompaniesController } from './companies/companies.controller';
import { CompaniesProjection } from './companies/companies.projection';
import { CompaniesRepository } from './companies/companies.repository';
import { CompaniesService } from './companies/companies.service';
import { PeopleController } from './people/people.controller';
import { PeopleProjection } from './people/people.projection';
import { PeopleRepository } from './people/people.repository';
import { PeopleService } from './people/people.service';
import { SalesRepsController } from './sales-reps/sales-reps.controller';
import { SalesRepsProjection } from './sales-reps/sales-reps.projection';
import { SalesRepsRepository } from './sales-reps/sales-reps.repository';
import { SalesRepsService } from './sales-reps/sales-reps.service';

const onPool = <T>(type: new (pool: Pool) => T) => ({
  provide: type,
  inject: [Pool],
  useFactory: (pool: Pool) => new type(pool),
});

/** The contacts service: companies, people and sales reps. */
@Module({})
export class ContactsModule {
  static register(settings: ServiceSettings): DynamicModule {
    return {
      module: ContactsModule,
      imports: [
        PlatformModule.register({
          service: 'contacts',
          owns: 'contacts',
          errorNamespace: 'CONTACTS',
          settings,
          projections: (topics) => [
            new CompaniesProjection([topics.contacts]),
            new PeopleProjection([topics.contacts]),
            new SalesRepsProjection([topics.contacts]),
          ],
        }),
      ],
      controllers: [CompaniesController, PeopleController, SalesRepsController],
      providers: [
        CompaniesService,
        PeopleService,
        SalesRepsService,
        onPool(CompaniesRepository),
        onPool(PeopleRepository),
        onPool(SalesRepsRepository),
      ],
    };
  }
}
