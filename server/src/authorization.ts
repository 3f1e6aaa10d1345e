/**
 * The actions "Test authorization…" offers, computed from the catalogue so that the catalogue
 * stays the one list of actions: the client asks for them (`iotPolicy/authorizationActions`).
 */
import { IOT_POLICY_ACTIONS, type ResourceType as CatalogResourceType } from './service/catalog/actions';
import type { AuthorizationAction, ResourceType } from '../../shared/src/protocol';

// The contract spells the catalogue's resource types out for the client; both must stay equal.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const resourceTypesAgree: Same<CatalogResourceType, ResourceType> = true;
void resourceTypesAgree;

/** Every action of the catalogue, in its order; legacy spellings carry `preferred`. */
export function authorizationActions(): AuthorizationAction[] {
  return IOT_POLICY_ACTIONS.map((a) => ({
    name: a.name,
    resourceTypes: [...a.resourceTypes],
    resourceName: a.resourceName,
    description: a.description,
    ...(a.preferred ? { preferred: a.preferred } : {}),
  }));
}
