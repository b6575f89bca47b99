import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { canGrant, grantableRoles } from './roles'
import { childLevels, levelFitsUnder } from './organisation'
import { charLength, isDictionaryCode, isPhone, isUsername, passwordProblem } from './validators'
import { formField, splitErrors } from './formErrors'

describe('roles', () => {
  it('lets an organiser grant its own role and those below, highest first', () => {
    expect(grantableRoles('organiser')).toEqual(['organiser', 'lecturer', 'requester', 'viewer', 'merchant'])
    expect(grantableRoles('admin')[0]).toBe('admin')
    expect(grantableRoles('viewer')).toEqual(['viewer', 'merchant'])
    // A merchant's till is the lowest rank, as on the server (domain/access.hpp).
    expect(grantableRoles('merchant')).toEqual(['merchant'])
  })
  it('never lets a role grant one above it', () => {
    expect(canGrant('organiser', 'admin')).toBe(false)
    expect(canGrant('organiser', 'organiser')).toBe(true)
    expect(canGrant('lecturer', 'organiser')).toBe(false)
  })
})

describe('organisation levels', () => {
  it('follows the union tree', () => {
    expect(levelFitsUnder('league', 'province')).toBe(true)
    expect(levelFitsUnder('county', 'province')).toBe(false)
    expect(levelFitsUnder('province', 'province')).toBe(false)
    expect(levelFitsUnder('grassroots', 'grassroots')).toBe(true)
    expect(levelFitsUnder('industry', 'grassroots')).toBe(false)
  })
  it('offers the levels a parent may hold', () => {
    expect(childLevels('province')).toEqual(['league', 'industry', 'grassroots'])
    expect(childLevels('league')).toEqual(['county', 'industry', 'grassroots'])
    expect(childLevels('grassroots')).toEqual(['grassroots'])
  })
})

describe('validators', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(charLength('内蒙古𠀀')).toBe(4)
  })
  it('checks user names as the server does', () => {
    expect(isUsername('baotou.org-1_')).toBe(true)
    expect(isUsername('ab')).toBe(false)
    expect(isUsername('王五')).toBe(false)
    expect(isUsername('a'.repeat(33))).toBe(false)
  })
  it('checks dictionary codes', () => {
    expect(isDictionaryCode('model_worker2')).toBe(true)
    expect(isDictionaryCode('Model')).toBe(false)
    expect(isDictionaryCode('')).toBe(false)
  })
  it('checks phone numbers', () => {
    expect(isPhone('')).toBe(true)
    expect(isPhone('+86 471-1234567')).toBe(true)
    expect(isPhone('123456')).toBe(false)
    expect(isPhone('0471x123456')).toBe(false)
  })
  it('checks passwords for length and variety', () => {
    expect(passwordProblem('short')).toBe('length')
    expect(passwordProblem('aaaaabbbbb')).toBe('simple')
    expect(passwordProblem('correct-horse')).toBeNull()
  })
})

describe('splitErrors', () => {
  it('maps list items to their field', () => {
    expect(formField('honours[2]')).toBe('honours')
    expect(formField('unavailable[0].to')).toBe('unavailable')
    expect(formField('name')).toBe('name')
  })
  it('puts the errors of shown fields by the field and the rest above the form', () => {
    const e = new ApiError(422, 'invalid', '输入有误', 'name', [
      { code: 'invalid', message: '姓名不能为空', field: 'name' },
      { code: 'invalid', message: '荣誉不能为空', field: 'honours[1]' },
      { code: 'invalid', message: '荣誉过长', field: 'honours[3]' },
      { code: 'invalid', message: '宣讲员不存在', field: 'lecturer_id' },
    ])
    expect(splitErrors(e, ['name', 'honours'])).toEqual({
      fields: { name: '姓名不能为空', honours: '荣誉不能为空' },
      general: '宣讲员不存在',
    })
  })
  it('uses the single error of a conflict', () => {
    const e = new ApiError(409, 'conflict', '用户名已被使用', 'username')
    expect(splitErrors(e, ['username'])).toEqual({ fields: { username: '用户名已被使用' }, general: '' })
    expect(splitErrors(e, [])).toEqual({ fields: {}, general: '用户名已被使用' })
  })
  it('renames fields the form calls otherwise', () => {
    const e = new ApiError(422, 'invalid', '输入有误', 'password', [{ code: 'invalid', message: '密码过于简单', field: 'password' }])
    expect(splitErrors(e, ['new_password'], { password: 'new_password' }).fields).toEqual({ new_password: '密码过于简单' })
  })
  it('shows a forbidden answer above the form', () => {
    const e = new ApiError(403, 'forbidden', '没有权限', '')
    expect(splitErrors(e, ['name'])).toEqual({ fields: {}, general: '没有权限' })
  })
})
